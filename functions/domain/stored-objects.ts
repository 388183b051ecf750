/**
 * The objects this API keeps in the MFA bucket under a user's sub: the enrolment QR code and the
 * recovery-code hashes. Deleting an account deletes them after the user (deleteMe, adminDeleteUser);
 * the sweep deletes those of users deleted around the API.
 */
import type { Deps } from '../runtime/clients';
import { errorName } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { deleteQrCodes, QR_PREFIX } from './authenticator';
import { deleteRecoveryCodes, RECOVERY_PREFIX } from './recovery-codes';

/** The two kinds of object the API keeps, and the key prefix each lives under. */
export const OBJECT_PREFIXES = { qr: QR_PREFIX, recovery: RECOVERY_PREFIX } as const;
export type StoredObjectKind = keyof typeof OBJECT_PREFIXES;

/** Every object this API keeps for a user. Deleting a missing object succeeds, so a retry is safe. */
export async function deleteStoredObjects(deps: Deps, userId: string): Promise<void> {
  await Promise.all([deleteQrCodes(deps, userId), deleteRecoveryCodes(deps, userId)]);
}

/**
 * The objects of an account whose user was just deleted. A failure is logged, not answered: the
 * account is gone either way, and the daily sweep (orphans.ts) deletes what is left.
 */
export async function deleteObjectsOfDeleted(deps: Deps, userId: string): Promise<void> {
  try {
    await deleteStoredObjects(deps, userId);
  } catch (error) {
    logger.warn('objects of a deleted account left to the sweep', { cause: errorName(error) });
  }
}

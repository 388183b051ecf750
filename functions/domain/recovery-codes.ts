/**
 * One-time recovery codes for a lost authenticator. Ten per enrolment, 50 random bits each from the
 * CSPRNG, shown once; only their HMAC-SHA256 under a key held in Secrets Manager is stored (one S3
 * object per user, encrypted). 50 bits is a small space: a bare hash would fall to a GPU in hours for
 * anyone who can read the bucket, a keyed one needs the key as well.
 * Using a code rewrites that object with S3's conditional write (If-Match on the ETag), so of two
 * concurrent requests with the same code exactly one succeeds.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Deps } from '../runtime/clients';
import { errorName, fail } from '../runtime/errors';
import { MESSAGES } from '../../schema/messages';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const RECOVERY_CODE_COUNT = 10;
const MAX_ATTEMPTS = 5;

interface Stored {
  /** 2: HMAC-SHA256 under the recovery-code key; 1: bare SHA-256, as sets issued before the key. */
  version: 1 | 2;
  /** The enrolment that issued these codes: a completed enrolment's session cannot complete it again. */
  enrolmentId?: string;
  codes: { hash: string; usedAt: string | null }[];
}

export const RECOVERY_PREFIX = 'recovery/';
export const recoveryKey = (userId: string): string => `${RECOVERY_PREFIX}${userId}.json`;

async function keyOf(deps: Deps): Promise<string> {
  const key = await deps.recoveryKey.value();
  if (!key) throw new Error('RECOVERY_KEY_ID is not set: this function issues or checks recovery codes');
  return key;
}

/** The user id is part of the hash: a stored hash is worthless for any other account. */
async function hashOf(deps: Deps, version: Stored['version'], userId: string, code: string): Promise<string> {
  const input = `${userId}:${code}`;
  return version === 1
    ? createHash('sha256').update(input).digest('hex')
    : createHmac('sha256', await keyOf(deps))
        .update(input)
        .digest('hex');
}

function newCode(): string {
  let raw = '';
  for (let i = 0; i < 10; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/**
 * Issues a fresh set, replacing the earlier one; returns the codes to show the user once. `expected`
 * is the state the caller checked: the ETag of the set it replaces, or null for none. If the object
 * changed since (another enrolment completed first), nothing is written and SESSION_EXPIRED is thrown.
 */
export async function issueRecoveryCodes(
  deps: Deps,
  userId: string,
  enrolmentId: string,
  expected?: { etag: string } | null,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const hashes = await Promise.all(codes.map((c) => hashOf(deps, 2, userId, c.replace('-', ''))));
  const stored: Stored = {
    version: 2,
    enrolmentId,
    codes: hashes.map((hash) => ({ hash, usedAt: null })),
  };
  try {
    await put(deps, userId, stored, expected === undefined ? undefined : (expected?.etag ?? null));
  } catch (error) {
    if (errorName(error) === 'PreconditionFailed') throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
    throw error;
  }
  return codes;
}

/** `ifMatch`: write only over this ETag; null: only if there is no object yet; undefined: always. */
async function put(deps: Deps, userId: string, stored: Stored, ifMatch?: string | null): Promise<void> {
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.config.mfaBucket,
      Key: recoveryKey(userId),
      Body: JSON.stringify(stored),
      ContentType: 'application/json',
      ServerSideEncryption: 'AES256',
      ...(ifMatch ? { IfMatch: ifMatch } : ifMatch === null ? { IfNoneMatch: '*' } : {}),
    }),
  );
}

async function read(deps: Deps, userId: string): Promise<{ stored: Stored; etag: string } | undefined> {
  try {
    const object = await deps.s3.send(
      new GetObjectCommand({ Bucket: deps.config.mfaBucket, Key: recoveryKey(userId) }),
    );
    const stored = JSON.parse(await object.Body!.transformToString()) as Stored;
    return { stored, etag: object.ETag! };
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') return undefined;
    throw error;
  }
}

/**
 * Marks `code` (normalised: ten base32 characters) used or unused again, if it is this user's code and
 * not already in that state; true when this call made the change. Rewrites with If-Match, so of two
 * concurrent calls for one code exactly one makes it.
 */
async function setUsed(deps: Deps, userId: string, code: string, used: boolean): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await read(deps, userId);
    if (!current) return false;
    const wanted = Buffer.from(await hashOf(deps, current.stored.version, userId, code), 'hex');
    const match = current.stored.codes.find((c) => timingSafeEqual(Buffer.from(c.hash, 'hex'), wanted));
    if (!match || (match.usedAt !== null) === used) return false;
    match.usedAt = used ? deps.now().toISOString() : null;
    try {
      await put(deps, userId, current.stored, current.etag);
      return true;
    } catch (error) {
      // Someone else changed the object since we read it: read again and decide again.
      if (errorName(error) !== 'PreconditionFailed') throw error;
    }
  }
  throw new Error('recovery codes kept changing under us');
}

/** Consumes `code` if it is an unused code of this user. */
export const consumeRecoveryCode = (deps: Deps, userId: string, code: string): Promise<boolean> =>
  setUsed(deps, userId, code, true);

/**
 * Gives a consumed code back, when the recovery it paid for failed for a reason that was not the
 * user's (Cognito or S3 failing after the code was taken): a failure of ours must not cost a code.
 */
export const releaseRecoveryCode = (deps: Deps, userId: string, code: string): Promise<boolean> =>
  setUsed(deps, userId, code, false);

/**
 * Whether this account ever completed enrolment: confirmMfa issues the codes, and nothing but deleting
 * the account removes them. Cognito's own MFA state can be changed around the API (a direct
 * AssociateSoftwareToken suspends the authenticator), this record cannot.
 */
export async function hasCompletedEnrolment(deps: Deps, userId: string): Promise<boolean> {
  return (await read(deps, userId)) !== undefined;
}

/** The current set as read: its enrolment and ETag (for a conditional replacement), and the set itself. */
export interface CurrentRecoveryCodes {
  readonly enrolmentId: string | undefined;
  readonly etag: string;
  /** What withdrawRecoveryCodes puts back. */
  readonly set: Stored;
}

/** The account's current set, or null when there is none. */
export async function currentRecoveryCodes(deps: Deps, userId: string): Promise<CurrentRecoveryCodes | null> {
  const current = await read(deps, userId);
  return current
    ? { enrolmentId: current.stored.enrolmentId, etag: current.etag, set: current.stored }
    : null;
}

/**
 * Takes back the set `enrolmentId` issued, when the enrolment failed after writing it: the set read
 * before (`previous`) is put back over it, or the object deleted if there was none. Nothing happens
 * if the current set is not that enrolment's. True when this call made the change.
 */
export async function withdrawRecoveryCodes(
  deps: Deps,
  userId: string,
  enrolmentId: string,
  previous: CurrentRecoveryCodes | null,
): Promise<boolean> {
  const current = await read(deps, userId);
  if (!current || current.stored.enrolmentId !== enrolmentId) return false;
  if (previous) await put(deps, userId, previous.set, current.etag);
  else await deleteRecoveryCodes(deps, userId);
  return true;
}

/** How many unused codes remain (for exports; the codes themselves are never readable again). */
export async function remainingRecoveryCodes(deps: Deps, userId: string): Promise<number> {
  const current = await read(deps, userId);
  return current ? current.stored.codes.filter((c) => !c.usedAt).length : 0;
}

export async function deleteRecoveryCodes(deps: Deps, userId: string): Promise<void> {
  await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.config.mfaBucket, Key: recoveryKey(userId) }));
}

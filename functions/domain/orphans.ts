/**
 * Objects left behind by accounts deleted around the API. Cognito's DeleteUser needs nothing but the
 * user's access token, so an app, or whoever holds a stolen token, can delete an account without
 * deleteMe, leaving its QR code and recovery-code hashes in the bucket. A scheduled sweep deletes the
 * objects of every user id the pool no longer knows. A sub is never reused, so "not found" is final.
 */
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { deleteStoredObjects, OBJECT_PREFIXES } from './stored-objects';
import type { Deps } from '../runtime/clients';
import { errorName } from '../runtime/errors';

/** The key prefixes holding a user's objects, named `<prefix><sub>.<extension>` or `<prefix><sub>/…`. */
export const USER_OBJECT_PREFIXES = Object.values(OBJECT_PREFIXES);

export interface SweepResult {
  /** User ids found in the bucket and asked about. */
  checked: number;
  /** User ids whose objects were deleted because the pool no longer has them. */
  deleted: number;
  /** More user ids were found than one run checks; the next run goes on. */
  truncated: boolean;
}

/** One run looks at this many user ids at most, so a run stays well inside the function's timeout. */
const MAX_USERS_PER_RUN = 500;

async function userIdsInBucket(deps: Deps, limit: number): Promise<{ ids: string[]; truncated: boolean }> {
  const ids = new Set<string>();
  for (const prefix of USER_OBJECT_PREFIXES) {
    let token: string | undefined;
    do {
      const page = await deps.s3.send(
        new ListObjectsV2Command({ Bucket: deps.config.mfaBucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const id = object.Key?.slice(prefix.length)
          .split('/')[0]!
          .replace(/\.[a-z]+$/, '');
        if (id) ids.add(id);
        if (ids.size > limit) return { ids: [...ids].slice(0, limit), truncated: true };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return { ids: [...ids], truncated: false };
}

async function userExists(deps: Deps, userId: string): Promise<boolean> {
  try {
    await deps.cognito.send(
      new AdminGetUserCommand({ UserPoolId: deps.config.userPoolId, Username: userId }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === 'UserNotFoundException') return false;
    throw error;
  }
}

export async function sweepOrphans(deps: Deps, limit = MAX_USERS_PER_RUN): Promise<SweepResult> {
  const { ids, truncated } = await userIdsInBucket(deps, limit);
  let deleted = 0;
  for (const id of ids) {
    if (await userExists(deps, id)) continue;
    await deleteStoredObjects(deps, id);
    deleted++;
  }
  return { checked: ids.length, deleted, truncated };
}

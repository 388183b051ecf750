/**
 * Bounds on guessing a secret, per account and per kind of secret, held in a DynamoDB table so every
 * function instance, every request and every alias of a field shares them. An attempt takes a slot
 * before the secret is checked (one atomic conditional write), so parallel requests cannot go past
 * the bound; a success clears the account's count, a wrong guess keeps its slot, and an answer that
 * checked nothing (a weak new password, an AWS failure) gives its slot back.
 *
 * The key is the e-mail as given (already normalised), hashed: an unknown address is counted and
 * refused exactly like an account, so the answer never tells whether the account exists. Once the
 * bound is reached, every try in the window is refused, right or wrong, until the window ends.
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { MESSAGES } from '../../schema/messages';
import type { Deps } from '../runtime/clients';
import { ApiFailure, fail } from '../runtime/errors';

export type GuessedSecret = 'password' | 'totp' | 'recoveryCode' | 'resetCode' | 'emailCode';

export interface GuessBound {
  /** Tries that did not succeed, allowed in one window. */
  readonly failures: number;
  readonly windowSeconds: number;
}

/**
 * At most 10 for one-time codes: a 6-digit code then falls to a guesser at 5 in 10^6 per quarter
 * hour. Passwords get 10: Cognito's own lockout (5 failures, then doubling delays) usually comes first.
 */
export const GUESS_BOUNDS: Readonly<Record<GuessedSecret, GuessBound>> = {
  password: { failures: 10, windowSeconds: 15 * 60 },
  totp: { failures: 5, windowSeconds: 15 * 60 },
  recoveryCode: { failures: 5, windowSeconds: 60 * 60 },
  resetCode: { failures: 5, windowSeconds: 60 * 60 },
  emailCode: { failures: 5, windowSeconds: 60 * 60 },
};

/** The table's key and TTL attribute names; the CDK stack and the local stack create it from these. */
export const GUESS_TABLE = { partitionKey: 'pk', timeToLive: 'expiresAt' } as const;

/** Failures that can be a wrong guess. Anything else checked nothing, and its slot is given back. */
const GUESS_FAILURES = new Set(['NOT_AUTHORIZED', 'CODE_MISMATCH', 'SESSION_EXPIRED']);

/** The item key of a count: its kind and the e-mail, hashed (the table holds no address). */
export const keyOf = (kind: string, email: string): string =>
  `${kind}#${createHash('sha256').update(email).digest('base64url')}`;

function tableOf(deps: Deps): string {
  const table = deps.config.guessTable;
  if (!table) throw new Error('GUESS_TABLE is not set: this function checks secrets and needs it');
  return table;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/** Takes a slot in the key's window, or refuses: true when taken. Shared with the mail bounds. */
export async function take(deps: Deps, key: string, bound: GuessBound): Promise<boolean> {
  const table = tableOf(deps);
  const now = Math.floor(deps.now().getTime() / 1000);
  const end = now + bound.windowSeconds;
  const values = {
    ':one': { N: '1' },
    ':now': { N: String(now) },
    ':limit': { N: String(bound.failures) },
    ':end': { N: String(end) },
  };
  for (let round = 0; round < 2; round++) {
    try {
      // A slot in the current window if one is left, or a new window if there is none. A success
      // deletes the count, so this one write is the whole cost of the usual try: the first since the
      // last success, or a later one within the window.
      await deps.dynamodb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { [GUESS_TABLE.partitionKey]: { S: key } },
          UpdateExpression:
            'ADD attempts :one SET windowEnds = if_not_exists(windowEnds, :end), #ttl = if_not_exists(#ttl, :end)',
          ConditionExpression: 'attribute_not_exists(#pk) OR (attempts < :limit AND windowEnds > :now)',
          ExpressionAttributeNames: { '#pk': GUESS_TABLE.partitionKey, '#ttl': GUESS_TABLE.timeToLive },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      // An ended window (or one full): a new window with this attempt in it, if it has ended.
      await deps.dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            [GUESS_TABLE.partitionKey]: { S: key },
            attempts: { N: '1' },
            windowEnds: { N: String(end) },
            // DynamoDB deletes expired items within days, not at once: windowEnds is what counts.
            [GUESS_TABLE.timeToLive]: { N: String(end) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR windowEnds <= :now',
          ExpressionAttributeValues: { ':now': values[':now'] },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Another request opened the window between the two writes: one more try at a slot in it.
  }
  return false;
}

async function giveBack(deps: Deps, key: string): Promise<void> {
  await deps.dynamodb.send(
    new UpdateItemCommand({
      TableName: tableOf(deps),
      Key: { [GUESS_TABLE.partitionKey]: { S: key } },
      UpdateExpression: 'ADD attempts :minus',
      ConditionExpression: 'attempts > :zero',
      ExpressionAttributeValues: { ':minus': { N: '-1' }, ':zero': { N: '0' } },
    }),
  );
}

async function clear(deps: Deps, key: string): Promise<void> {
  await deps.dynamodb.send(
    new DeleteItemCommand({ TableName: tableOf(deps), Key: { [GUESS_TABLE.partitionKey]: { S: key } } }),
  );
}

/**
 * Runs `check` (which tries `secret` for the account of `email`) within the account's bound: refused
 * with TOO_MANY_REQUESTS once the bound is reached, whatever `check` would have answered.
 */
export async function withinGuessBound<T>(
  deps: Deps,
  secret: GuessedSecret,
  email: string,
  check: () => Promise<T>,
): Promise<T> {
  const key = keyOf(secret, email);
  if (!(await take(deps, key, GUESS_BOUNDS[secret]))) {
    throw fail('TOO_MANY_REQUESTS', MESSAGES.guessesExceeded);
  }
  let result: T;
  try {
    result = await check();
  } catch (error) {
    if (!(error instanceof ApiFailure && GUESS_FAILURES.has(error.type))) {
      await giveBack(deps, key).catch(() => undefined);
    }
    throw error;
  }
  // The right secret: earlier failures no longer count against the account.
  await clear(deps, key).catch(() => undefined);
  return result;
}

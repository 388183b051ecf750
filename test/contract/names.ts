/**
 * Names of the throw-away AWS resources the contract tests make: `auth-api-contract-<ms>-<random>`.
 * The prefix is how the sweep (sweep.ts) tells them from everything else in the account, and the
 * creation time in the name is how it tells a leftover (older than an hour) from a run in progress.
 * Valid as a user pool name and as an S3 bucket name (lower case, digits, hyphens, under 63 characters).
 */
import { randomInt } from 'node:crypto';

export const CONTRACT_PREFIX = 'auth-api-contract-';

/** Leftovers older than this are deleted by the sweep; a contract run takes minutes. */
export const STALE_AFTER_MS = 60 * 60_000;

const NAME = /^auth-api-contract-(\d{10,16})-[a-z0-9]{6}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newContractName(nowMs: number = Date.now()): string {
  const random = Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${CONTRACT_PREFIX}${Math.floor(nowMs)}-${random}`;
}

export function isContractName(name: string | undefined): name is string {
  return typeof name === 'string' && name.startsWith(CONTRACT_PREFIX);
}

/** The creation time written into a contract name, or undefined when the name has none. */
export function createdAtOf(name: string): number | undefined {
  const match = NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Tags on each throw-away user pool, for whoever finds one in the console. */
export function contractTags(nowMs: number): Record<string, string> {
  return {
    'auth-api-contract': 'throw-away',
    'created-at': new Date(nowMs).toISOString(),
    'delete-with': 'npx tsx test/contract/sweep.ts',
  };
}

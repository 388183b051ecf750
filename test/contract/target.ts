/**
 * What the contract tests of the local Cognito and the local S3 run against, from CONTRACT_TARGET:
 *
 * - `local` (the default, and what CI runs): the local stand-ins, every test;
 * - `aws`: throw-away real resources made with your own AWS credentials and AWS_REGION (aws-pool.ts,
 *   aws-bucket.ts), deleted after each test file, on SIGINT/SIGTERM, and by the sweep (sweep.ts).
 *   Tests that need what only a stand-in has are skipped, each naming why (localOnly).
 */
import { aroundAll, it, vi, type TestFunction } from 'vitest';
import { awsPreflight } from './aws-env';
import { cleanUpAll } from './cleanup';

export type ContractTarget = 'local' | 'aws';

export function parseContractTarget(value: string | undefined): ContractTarget {
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'aws') return 'aws';
  throw new Error(
    `CONTRACT_TARGET=${JSON.stringify(value)} is not a contract target: use "local" (the default: the ` +
      'local stand-ins) or "aws" (throw-away resources in your own AWS account).',
  );
}

export const CONTRACT_TARGET: ContractTarget = parseContractTarget(process.env.CONTRACT_TARGET);
export const onAws = CONTRACT_TARGET === 'aws';

/** Real calls take longer, and TOTP tests wait for real 30-second steps. */
export const AWS_TEST_TIMEOUT_MS = 5 * 60_000;
const AWS_HOOK_TIMEOUT_MS = 3 * 60_000;

/**
 * Deletes whatever the suite's tests and hooks provisioned and did not delete themselves, once the
 * suite is over, even when a test, a hook or the file's own afterAll failed.
 */
export function deleteLeftoversAfterSuite(): void {
  aroundAll(async (runSuite) => {
    try {
      await runSuite();
    } finally {
      await cleanUpAll();
    }
  }, AWS_HOOK_TIMEOUT_MS);
}

if (onAws) {
  // Before anything is created: fails the file at once, with one message, without credentials.
  await awsPreflight();
  vi.setConfig({ testTimeout: AWS_TEST_TIMEOUT_MS, hookTimeout: AWS_HOOK_TIMEOUT_MS });
  deleteLeftoversAfterSuite();
}

type TestDeclaration = (name: string, fn: TestFunction, timeout?: number) => void;

/**
 * For a test that needs what only the stand-in has (the injected clock, the mailbox, a restart on
 * the same data directory, its files, its options): `it` on the local target; on aws `it.skip`, with
 * the reason in the test's name.
 */
export function localOnly(reason: string): TestDeclaration {
  if (!onAws) return it;
  return (name, fn, timeout) => it.skip(`${name} [local only: ${reason}]`, fn, timeout);
}

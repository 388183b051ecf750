/**
 * Deletes what contract runs left behind in your AWS account: user pools (in the region the SDK
 * resolves, AWS_REGION) and buckets (all regions) whose names carry the contract prefix and were made
 * more than an hour ago, so a run in progress elsewhere keeps its own. Anything without the prefix is
 * never touched.
 *
 *   npx tsx test/contract/sweep.ts            # delete
 *   npx tsx test/contract/sweep.ts --dry-run  # only list
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { emptyAndDeleteBucket, listBuckets, s3ClientConfig } from './aws-bucket';
import { awsPreflight, type EndpointOverride } from './aws-env';
import { cognitoClient, deleteUserPool, listUserPools } from './aws-pool';
import { createdAtOf, isContractName, STALE_AFTER_MS } from './names';

export interface SweepOptions {
  /** Default Date.now(). */
  now?: number;
  /** Default STALE_AFTER_MS (one hour). */
  olderThanMs?: number;
  dryRun?: boolean;
  log?: (line: string) => void;
  /** Local stand-ins instead of AWS: test/contract/provisioning.test.ts only. */
  cognito?: EndpointOverride;
  s3?: EndpointOverride;
}

export interface SweepReport {
  /** Deleted (or, in a dry run, to be deleted). */
  deleted: string[];
  /** With the prefix, but younger than the limit. */
  kept: string[];
  failed: string[];
}

/** Age from the time in the name; the service's creation date if the name has none. */
function isStale(name: string, created: Date | undefined, now: number, olderThanMs: number): boolean {
  const at = createdAtOf(name) ?? created?.getTime();
  // Unknown age: kept, it may be a run in progress.
  return at !== undefined && now - at > olderThanMs;
}

export async function sweep(options: SweepOptions = {}): Promise<SweepReport> {
  const now = options.now ?? Date.now();
  const olderThanMs = options.olderThanMs ?? STALE_AFTER_MS;
  const log = options.log ?? (() => {});
  const report: SweepReport = { deleted: [], kept: [], failed: [] };
  const act = async (label: string, remove: () => Promise<void>) => {
    if (options.dryRun) {
      log(`would delete ${label}`);
      report.deleted.push(label);
      return;
    }
    try {
      await remove();
      log(`deleted ${label}`);
      report.deleted.push(label);
    } catch (error) {
      log(`could not delete ${label}: ${(error as Error).message}`);
      report.failed.push(label);
    }
  };

  const cognito = cognitoClient(options.cognito);
  try {
    for (const pool of await listUserPools(cognito)) {
      if (!isContractName(pool.Name) || !pool.Id) continue;
      const label = `user pool ${pool.Name} (${pool.Id})`;
      if (!isStale(pool.Name, pool.CreationDate, now, olderThanMs)) {
        report.kept.push(label);
        continue;
      }
      await act(label, () => deleteUserPool(cognito, pool.Id as string));
    }
  } finally {
    cognito.destroy();
  }

  const s3 = new S3Client(s3ClientConfig(options.s3));
  try {
    for (const bucket of await listBuckets(s3)) {
      if (!isContractName(bucket.Name)) continue;
      const label = `bucket ${bucket.Name}`;
      if (!isStale(bucket.Name, bucket.CreationDate, now, olderThanMs)) {
        report.kept.push(label);
        continue;
      }
      await act(label, () => emptyAndDeleteBucket(s3, bucket.Name as string));
    }
  } finally {
    s3.destroy();
  }
  return report;
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const { region } = await awsPreflight(
    'The sweep deletes contract leftovers in your own AWS account',
    'Set them as for `npm run test:contract:aws`.',
  );
  console.log(`Sweeping contract leftovers older than an hour (user pools in ${region}, buckets everywhere)`);
  const report = await sweep({ dryRun, log: (line) => console.log(`  ${line}`) });
  console.log(
    `${dryRun ? 'To delete' : 'Deleted'}: ${report.deleted.length}; kept (younger): ${report.kept.length}; ` +
      `failed: ${report.failed.length}`,
  );
  if (report.failed.length > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

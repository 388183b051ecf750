/**
 * The local S3: s3rver 3.7.1 in-process, with the faults that matter to this API fixed (./fixes.ts),
 * its state on disk under `dataDir` so objects survive a restart. See ./README.md for what it
 * reproduces and what it does not.
 */
import { mkdir } from 'node:fs/promises';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { installFixes } from './fixes';
import { S3rver } from './s3rver';

export interface LocalS3Options {
  /** Directory that holds buckets and objects; created if missing, kept across restarts. */
  dataDir: string;
  /** 0 or undefined: a free port chosen by the system. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 by default, so nothing outside the machine reaches it. */
  host?: string;
  /** Buckets created at start (existing ones and their objects are kept). */
  buckets: string[];
  /**
   * Clock for presigned-URL expiry, in epoch milliseconds; Date.now by default. Tests move it
   * forward; moving it back extends nothing, because s3rver also checks against the real clock.
   */
  now?: () => number;
}

export interface LocalS3 {
  /** http://host:port, for `localS3ClientConfig` and for the outputs file. */
  endpoint: string;
  close(): Promise<void>;
}

/** s3rver's one built-in account; it refuses any other access key id. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  for (const bucket of options.buckets) {
    if (!BUCKET_NAME.test(bucket)) throw new Error(`Invalid S3 bucket name "${bucket}"`);
  }
  await mkdir(options.dataDir, { recursive: true });
  const server = new S3rver({
    address: host,
    port: options.port ?? 0,
    // s3rver logs every request and warns about existing buckets on each start: noise here.
    silent: true,
    directory: options.dataDir,
    // Path-style only: a host name is never mistaken for a bucket.
    vhostBuckets: false,
    resetOnClose: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  installFixes(server, options.now ?? Date.now);
  const { port } = await server.run();
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const endpoint = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
  return {
    endpoint,
    async close() {
      const closing = server.close();
      // SDK clients keep connections alive; without this, close waits for their idle timeout.
      server.httpServer?.closeIdleConnections();
      await closing;
    },
  };
}

/**
 * The S3Client configuration a function uses against the local S3. Only what any S3-compatible
 * endpoint needs: the SDK's defaults (CRC32 checksums, aws-chunked streaming uploads) are left
 * on, because the local S3 handles them as S3 does.
 */
export function localS3ClientConfig(endpoint: string, region = 'us-east-1'): S3ClientConfig {
  return {
    endpoint,
    region,
    // Buckets in the path: http://127.0.0.1:port/bucket/key (no wildcard DNS on a laptop).
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_CREDENTIALS },
  };
}

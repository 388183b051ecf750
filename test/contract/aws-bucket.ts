/**
 * A throw-away S3 bucket for the local S3's contract tests: private (every public-access block on),
 * SSE-S3 by default, named with the contract prefix. Registered for clean-up as soon as it exists;
 * close() empties it (objects and unfinished multipart uploads) and deletes it.
 */
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type Bucket,
  type BucketLocationConstraint,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { clientSettings, type EndpointOverride } from './aws-env';
import { track } from './cleanup';
import { contractTags, newContractName } from './names';

export interface ContractBucket {
  name: string;
  region: string;
  /** Undefined on AWS; the override's URL otherwise. */
  endpoint?: string;
  /** For the tests' own S3Client: the region (and, with an override, endpoint and credentials). */
  clientConfig: S3ClientConfig;
  /** Empties and deletes the bucket; safe to call again. */
  close(): Promise<void>;
}

export function s3ClientConfig(override?: EndpointOverride, region?: string): S3ClientConfig {
  return {
    ...clientSettings(override, region),
    // A local stand-in has no wildcard DNS; a real bucket in another region is followed there.
    ...(override ? { forcePathStyle: true } : { followRegionRedirects: true }),
  };
}

/** Deletes every object and unfinished multipart upload, then the bucket; a missing bucket counts as deleted. */
export async function emptyAndDeleteBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    // The first page again after each deletion: no continuation token to go stale.
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (objects.length === 0) break;
      const deleted = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (deleted.Errors?.length) {
        throw new Error(
          `DeleteObjects refused ${deleted.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`,
        );
      }
    }
    for (;;) {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      const open = (uploads.Uploads ?? []).filter((u) => u.Key && u.UploadId);
      if (open.length === 0) break;
      for (const u of open) {
        await client.send(
          new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
        );
      }
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== 'NoSuchBucket') throw error;
  }
}

/** Every bucket of the account (ListBuckets, page by page). */
export async function listBuckets(client: S3Client): Promise<Bucket[]> {
  const buckets: Bucket[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListBucketsCommand({ ContinuationToken }));
    buckets.push(...(page.Buckets ?? []));
    ContinuationToken = page.ContinuationToken;
  } while (ContinuationToken);
  return buckets;
}

export async function createContractBucket(
  options: { endpoint?: EndpointOverride; now?: () => number } = {},
): Promise<ContractBucket> {
  const nowMs = (options.now ?? Date.now)();
  const name = newContractName(nowMs);
  const client = new S3Client(s3ClientConfig(options.endpoint));
  let created = false;
  let untrack = () => {};
  const remove = async () => {
    if (created) await emptyAndDeleteBucket(client, name);
    untrack();
    client.destroy();
  };
  try {
    const region = await client.config.region();
    await client.send(
      new CreateBucketCommand({
        Bucket: name,
        // us-east-1 is the one region CreateBucket refuses a LocationConstraint for.
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    created = true;
    untrack = track(`bucket ${name}`, remove, {
      kind: 'bucket',
      bucket: name,
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
    await client.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await client.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    await client.send(
      new PutBucketTaggingCommand({
        Bucket: name,
        Tagging: { TagSet: Object.entries(contractTags(nowMs)).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
    let closing: Promise<void> | undefined;
    return {
      name,
      region,
      ...(options.endpoint ? { endpoint: options.endpoint.url } : {}),
      clientConfig: s3ClientConfig(options.endpoint, region),
      close() {
        closing ??= remove().catch((error: unknown) => {
          closing = undefined;
          throw new Error(`could not delete the throw-away bucket ${name}`, { cause: error });
        });
        return closing;
      },
    };
  } catch (error) {
    const cleanup = await remove().then(
      () => '',
      (e: unknown) => `; deleting it failed too (${(e as Error).message}): the sweep will`,
    );
    throw new Error(`could not create the throw-away bucket ${name}: ${(error as Error).message}${cleanup}`, {
      cause: error,
    });
  }
}

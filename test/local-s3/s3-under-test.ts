/**
 * The S3 the contract tests in local-s3.test.ts drive: the local S3 with the bucket they name (the
 * default), or with CONTRACT_TARGET=aws a throw-away real bucket (test/contract/aws-bucket.ts) and an
 * SDK client on the caller's own credentials and region, with no endpoint of ours.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig, startLocalS3 } from '../../local/s3';
import { createContractBucket } from '../contract/aws-bucket';
import { onAws } from '../contract/target';

export interface S3UnderTest {
  /** The bucket asked for locally; on AWS the throw-away bucket's own name. */
  bucket: string;
  client: S3Client;
  /** The local S3's URL; undefined on AWS. */
  endpoint?: string;
  /** Closes the client, then stops the local S3 or empties and deletes the bucket. */
  close(): Promise<void>;
}

export async function startS3UnderTest(options: {
  dataDir: string;
  bucket: string;
  /** The local S3's clock; real time on AWS. */
  now: () => number;
}): Promise<S3UnderTest> {
  if (onAws) {
    const bucket = await createContractBucket();
    const client = new S3Client(bucket.clientConfig);
    return {
      bucket: bucket.name,
      client,
      async close() {
        client.destroy();
        await bucket.close();
      },
    };
  }
  const s3 = await startLocalS3({ dataDir: options.dataDir, buckets: [options.bucket], now: options.now });
  const client = new S3Client(localS3ClientConfig(s3.endpoint));
  return {
    bucket: options.bucket,
    client,
    endpoint: s3.endpoint,
    async close() {
      client.destroy();
      await s3.close();
    },
  };
}

/**
 * Started by cleanup.ts when a process holding throw-away resources gets SIGINT or SIGTERM, detached
 * (its own process group, no terminal), so it finishes the deletions even if that process is killed:
 * `node --import tsx test/contract/reap.ts '<JSON list of Reap>'`. Credentials come from the same
 * environment, through the SDK's default chain. Exits 0 when everything is deleted, 1 otherwise
 * (what is left is the sweep's).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { emptyAndDeleteBucket, s3ClientConfig } from './aws-bucket';
import { clientSettings } from './aws-env';
import { deleteUserPool } from './aws-pool';
import type { Reap } from './cleanup';

const resources = JSON.parse(process.argv[2] ?? '[]') as Reap[];
const results = await Promise.allSettled(
  resources.map(async (resource) => {
    if (resource.kind === 'user-pool') {
      const client = new CognitoIdentityProviderClient(clientSettings(resource.endpoint, resource.region));
      try {
        await deleteUserPool(client, resource.userPoolId);
      } finally {
        client.destroy();
      }
    } else {
      const client = new S3Client(s3ClientConfig(resource.endpoint, resource.region));
      try {
        await emptyAndDeleteBucket(client, resource.bucket);
      } finally {
        client.destroy();
      }
    }
  }),
);
process.exitCode = results.every((r) => r.status === 'fulfilled') ? 0 : 1;

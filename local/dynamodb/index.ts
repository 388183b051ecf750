/**
 * A local DynamoDB for the guess bounds: dynalite (DynamoDB's API on LevelDB) on loopback, with its
 * data under the stack's state directory so counts survive a restart. The table is created at start
 * from the same key the CDK stack uses (functions/domain/guess-bounds.ts). dynalite has no TTL; nor
 * does the code rely on one: DynamoDB deletes expired items only eventually, so the bound reads its
 * own expiry attribute (local/dynamodb/README.md).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface LocalTable {
  readonly name: string;
  readonly partitionKey: string;
  /** Not applied locally (no TTL deletion); kept so a table is described once. */
  readonly timeToLive: string;
}

export interface LocalDynamoDBOptions {
  /** LevelDB directory. */
  dataDir: string;
  region: string;
  tables: readonly LocalTable[];
  port?: number;
}

export interface LocalDynamoDB {
  /** http://127.0.0.1:PORT, for the SDK's `endpoint`. */
  endpoint: string;
  close(): Promise<void>;
}

/** dynalite ignores credentials; the SDK still wants some. */
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startLocalDynamoDB(options: LocalDynamoDBOptions): Promise<LocalDynamoDB> {
  mkdirSync(options.dataDir, { recursive: true });
  // Tables are ACTIVE at once: DynamoDB's CREATING phase only slows a local start down.
  const server: Server = dynalite({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  const client = new DynamoDBClient({ region: options.region, endpoint, credentials: CREDENTIALS });
  try {
    for (const table of options.tables) {
      try {
        await client.send(
          new CreateTableCommand({
            TableName: table.name,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
          }),
        );
      } catch (error) {
        // Kept from an earlier start: the data is what must survive.
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
  } catch (error) {
    client.destroy();
    await close();
    throw error;
  }
  client.destroy();
  return { endpoint, close };
}

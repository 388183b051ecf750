/**
 * A local DynamoDB for the guess bounds: dynalite (DynamoDB's API on LevelDB) on loopback, with its
 * data under the stack's state directory so counts survive a restart. The table is created at start
 * from the same key the CDK stack uses (functions/domain/guess-bounds.ts). dynalite has no TTL; nor
 * does the code rely on one: DynamoDB deletes expired items only eventually, so the bound reads its
 * own expiry attribute (local/dynamodb/README.md).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';

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

/**
 * dynalite's server, run in a worker thread: DynamoDB is a service of its own, and its request
 * handling (validation, expression parsing, LevelDB) then runs beside the functions that call it
 * instead of on their thread. Plain JavaScript, so it runs the same under tsx and the test runner.
 */
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalite);
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (error) => parentPort.postMessage({ error: String(error && error.message) }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  server.close(() => parentPort.close());
  if (server.closeAllConnections) server.closeAllConnections();
});
`;

export async function startLocalDynamoDB(options: LocalDynamoDBOptions): Promise<LocalDynamoDB> {
  mkdirSync(options.dataDir, { recursive: true });
  // Tables are ACTIVE at once (createTableMs 0): DynamoDB's CREATING phase only slows a local start down.
  const worker = new Worker(SERVER, {
    eval: true,
    workerData: {
      dynalite: createRequire(import.meta.url).resolve('dynalite'),
      path: options.dataDir,
      port: options.port ?? 0,
    },
    env: {},
    execArgv: [],
  });
  const started = await new Promise<{ port?: number; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the local DynamoDB exited (${code}) before listening`)));
  });
  if (started.error || !started.port) {
    await worker.terminate();
    throw new Error(`the local DynamoDB did not start: ${started.error ?? 'no port'}`);
  }
  const endpoint = `http://127.0.0.1:${started.port}`;
  const close = async () => {
    // The server closes and LevelDB with it; the thread then ends on its own.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await worker.terminate();
  };
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

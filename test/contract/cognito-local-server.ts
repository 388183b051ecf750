/**
 * Plain cognito-local (the package the local Cognito wraps), with its own router and nothing of ours
 * in front, on loopback: for provisioning.test.ts, which drives the pool-administration calls of
 * aws-pool.ts against it. The local Cognito itself (startLocalCognito) cannot serve that test in
 * full: its router completes DescribeUserPoolClient for its own pool's client only
 * (local/cognito/router.ts, completeFallback) and answers ResourceNotFoundException for any other.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Router } from 'cognito-local/lib/server/Router';
import { createServer } from 'cognito-local/lib/server/server';
import type { Services } from 'cognito-local/lib/services';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';

export interface CognitoLocalServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function startCognitoLocal(dataDir: string): Promise<CognitoLocalServer> {
  // Silent, as in local/cognito/index.ts: cognito-local logs whole requests at debug level.
  const fromCognitoLocal = createRequire(
    createRequire(import.meta.url).resolve('cognito-local/package.json'),
  );
  const pino = fromCognitoLocal('pino') as (options: object) => Context['logger'];
  const logger = pino({ level: 'silent' });
  const ctx: Context = { logger };
  const clock = { get: () => new Date() };
  const store = new StormDBDataStoreFactory(dataDir);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDir,
    store,
    new UserPoolServiceFactoryImpl(clock, store),
  ).create(ctx, {});
  // The pool-administration targets (CreateUserPool, SetUserPoolMfaConfig, CreateUserPoolClient,
  // DescribeUserPoolClient, CreateGroup, GetGroup, DescribeUserPool, ListUserPools, DeleteUserPool)
  // use the clock and the store only.
  const services = { clock, cognito } as unknown as Services;
  const app = createServer(Router(services), logger as never, { development: false }).application as (
    req: IncomingMessage,
    res: ServerResponse,
  ) => void;
  const http = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
  };
}

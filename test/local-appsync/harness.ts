/** Starts the local AppSync with the fixture schema, resolvers and in-process handlers, on loopback. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { bundleResolver } from '../../infra/resolver-bundles';
import { PRELUDE_FILE } from '../../infra/paths';
import { LocalAppSync } from '../../local/appsync/engine';
import type { LambdaHandler } from '../../local/appsync/lambda-invoke';
import type { Limits } from '../../local/appsync/limits';
import { ResolverCode } from '../../local/appsync/resolver-code';
import { startServer, type RunningServer } from '../../local/appsync/server';
import type { WiredField } from '../../local/appsync/unit-resolver';

const FIXTURES = join(import.meta.dirname, 'fixtures');
export const API_KEY = 'da2-localfixturekey';
export const ISSUER = 'http://127.0.0.1:9/local_fixturepool';
export const CLIENT_ID = 'fixtureclient';

export interface Harness {
  url: string;
  graphqlUrl: string;
  calls: Record<string, number>;
  logs: string[];
  token(
    claims?: Record<string, unknown>,
    options?: { expiresIn?: string | number; key?: 'pool' | 'forger'; issuer?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(limits: Partial<Limits> = {}): Promise<Harness> {
  const pool = await generateKeyPair('RS256');
  const forger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(pool.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' };

  const calls: Record<string, number> = {};
  const handlers: Record<string, LambdaHandler> = {
    'Query.echo': (e) => ({ text: (e as { text: string }).text, requestId: (e as { id: string }).id }),
    'Query.me': (e) => {
      const id = (
        e as {
          identity: { sub: string; username: string; groups: string[] | null; claims: { token_use: string } };
        }
      ).identity;
      return {
        sub: id.sub,
        username: id.username,
        groups: id.groups,
        tokenUse: id.claims.token_use,
        apiKeyOnly: 'hidden',
      };
    },
    'Query.adminOnly': () => 'admin data',
    'Query.either': () => 'either',
    'Query.defaultOnly': () => 'default',
    'Query.json': () => ({ nested: { list: [1, 2] } }),
    'Query.node': () => {
      let node: Record<string, unknown> = { name: 'leaf', child: null };
      for (let i = 9; i >= 1; i--) node = { name: `level ${i}`, child: node };
      return node;
    },
    'Mutation.crash': () => {
      throw new Error('connection to the user store failed');
    },
    'Mutation.appended': () => 'ignored',
    'Mutation.refuse': () => 'should not run',
    'Mutation.unimplemented': () => 'should not run',
    'Mutation.probe': (e) => e,
    'Mutation.early': () => 'should not run',
    'Mutation.spin': () => 'should not run',
    'Mutation.leak': (e) => e,
    'Mutation.taint': (e) => e,
    'Mutation.deny': () => 'should not run',
  };

  const outDir = mkdtempSync(join(tmpdir(), 'appsync-fixtures-'));
  const fields = new Map<string, WiredField>();
  for (const file of readdirSync(join(FIXTURES, 'resolvers'))) {
    const name = file.replace(/\.ts$/, '');
    const out = join(outDir, `${name}.js`);
    bundleResolver(join(FIXTURES, 'resolvers', file), out);
    const handler = handlers[name]!;
    fields.set(name, {
      code: new ResolverCode(out),
      functionName: name,
      handler: (event, context) => {
        calls[name] = (calls[name] ?? 0) + 1;
        return handler(event, context);
      },
    });
  }

  const logs: string[] = [];
  const engine = new LocalAppSync({
    schemaSDL: `${readFileSync(PRELUDE_FILE, 'utf8')}\n${readFileSync(join(FIXTURES, 'schema.graphql'), 'utf8')}`,
    fields,
    auth: {
      apiKeys: () => [API_KEY],
      cognito: { issuer: ISSUER, jwks: createLocalJWKSet({ keys: [jwk] }), clientIds: [CLIENT_ID] },
    },
    limits: { queryDepth: 5, resolverCount: 3, maxRequestBytes: 16 * 1024, introspection: true, ...limits },
    log: (line) => logs.push(line),
  });
  const server: RunningServer = await startServer({ engine, apiKey: API_KEY });

  return {
    url: server.url,
    graphqlUrl: server.graphqlUrl,
    calls,
    logs,
    async token(claims = {}, options = {}) {
      const tokenUse = (claims.token_use as string | undefined) ?? 'access';
      const base =
        tokenUse === 'id'
          ? { aud: CLIENT_ID, 'cognito:username': 'jane', email: 'jane@example.com' }
          : { client_id: CLIENT_ID, username: 'jane', scope: 'aws.cognito.signin.user.admin' };
      return new SignJWT({ token_use: tokenUse, ...base, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'pool-key' })
        .setSubject('3f1a9c1e-0000-4000-8000-000000000001')
        .setIssuer(options.issuer ?? ISSUER)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '1h')
        .sign(options.key === 'forger' ? forger.privateKey : pool.privateKey);
    },
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: {
      message: string;
      errorType?: string | null;
      errorInfo?: unknown;
      path?: (string | number)[] | null;
      locations?: unknown;
    }[];
  };
}

export async function post(
  url: string,
  query: string,
  headers: Record<string, string>,
  variables?: Record<string, unknown>,
): Promise<GraphQLAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLAnswer['body'] };
}

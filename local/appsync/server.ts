/** The local AppSync's HTTP face: POST /graphql as AppSync serves it, GraphiQL at /, CORS for browser apps. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAppSync } from './engine';
import { graphiqlPage } from './graphiql';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ServerOptions {
  readonly engine: LocalAppSync;
  readonly apiKey: string;
  readonly port?: number;
  readonly host?: string;
  /** Extra routes by path prefix, e.g. `/mailbox`. */
  readonly routes?: Readonly<Record<string, Route>>;
}

export interface RunningServer {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly server: Server;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type, x-api-key, authorization, x-amz-user-agent, x-amz-date',
  'access-control-max-age': '86400',
};

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { ...CORS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Reads the body, keeping at most `limit` + 1 bytes: enough to know it is too large. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req) {
    if (kept > limit) continue;
    chunks.push(chunk as Buffer);
    kept += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks)
    .subarray(0, limit + 1)
    .toString('utf8');
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine } = options;
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'OPTIONS') return send(res, 204, '', 'text/plain');
      for (const [prefix, route] of Object.entries(options.routes ?? {})) {
        if (path === prefix || path.startsWith(`${prefix}/`)) return route(req, res);
      }
      if (path === '/graphql') {
        if (req.method !== 'POST')
          return send(
            res,
            405,
            JSON.stringify({ errors: [{ errorType: 'MethodNotAllowed', message: 'Use POST.' }] }),
            'application/json',
          );
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        );
        const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
        const limit = engine.maxRequestBytes;
        // A declared size over the limit is refused before reading a byte of it.
        const answer =
          Number(req.headers['content-length'] ?? 0) > limit
            ? engine.tooLarge()
            : await engine.handle(await readBody(req, limit), headers, sourceIp);
        return send(res, answer.status, JSON.stringify(answer.body), 'application/json; charset=utf-8');
      }
      if (path === '/' && req.method === 'GET')
        return send(res, 200, graphiqlPage(options.apiKey), 'text/html; charset=utf-8');
      return send(res, 404, 'Not found', 'text/plain');
    })().catch((error: unknown) => {
      // Never echo internals to the client; the console gets the cause.
      console.error('local AppSync: unexpected error', error);
      if (!res.headersSent)
        send(
          res,
          500,
          JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: 'Internal failure.' }] }),
          'application/json',
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

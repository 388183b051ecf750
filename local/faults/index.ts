/**
 * Failures on demand, for tests of what the API leaves behind when AWS fails half-way through an
 * operation. An HTTP proxy in front of the local Cognito and the local S3: the functions talk to it,
 * and it forwards every call unchanged unless an armed fault matches, in which case the call never
 * reaches the service and is answered with the service's own documented failure (see ./README.md).
 * Only a stack started with `faults: true` has it; `npm start` never does.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultService = 'cognito' | 's3';

export interface Fault {
  readonly service: FaultService;
  /** The API operation: `AdminSetUserMFAPreference`, `PutObject`, `DeleteObject`, … */
  readonly operation: string;
  /** S3 only: fail only calls on keys that start with this (e.g. `recovery/`). */
  readonly keyPrefix?: string;
}

export interface Faults {
  /** Every matching call fails from now until `clear()` (the SDK's retries fail too). */
  arm(fault: Fault): void;
  clear(): void;
  /** How many calls the armed faults have failed since the last arm. */
  readonly failed: number;
}

interface Call {
  readonly operation: string | undefined;
  readonly key: string | undefined;
}

/** Cognito names the operation in `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. */
function cognitoCall(req: IncomingMessage): Call {
  const target = String(req.headers['x-amz-target'] ?? '');
  return { operation: target.split('.').pop(), key: undefined };
}

/** Path-style S3 (as the local clients are configured): `/<bucket>/<key>`, the operation from the method. */
function s3Call(req: IncomingMessage): Call {
  const url = new URL(req.url ?? '/', 'http://local');
  const [, , ...rest] = url.pathname.split('/');
  const key = rest.length > 0 ? decodeURIComponent(rest.join('/')) : '';
  if (!key) {
    return {
      operation:
        req.method === 'GET' && url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : undefined,
      key: url.searchParams.get('prefix') ?? '',
    };
  }
  const byMethod: Record<string, string> = {
    PUT: 'PutObject',
    GET: 'GetObject',
    HEAD: 'HeadObject',
    DELETE: 'DeleteObject',
  };
  return { operation: byMethod[req.method ?? ''], key };
}

/**
 * The answers a caller gets when the service fails on its side. Cognito: HTTP 500 with the
 * `InternalErrorException` every operation lists (API Reference, each operation's Errors). S3: HTTP 500
 * `InternalError`, "We encountered an internal error. Please try again." (S3 API Reference, "Error
 * responses", list of error codes).
 */
function answerFailure(service: FaultService, res: ServerResponse): void {
  if (service === 'cognito') {
    res.writeHead(500, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': 'InternalErrorException',
    });
    res.end(JSON.stringify({ __type: 'InternalErrorException', message: 'Internal server error.' }));
    return;
  }
  res.writeHead(500, { 'content-type': 'application/xml' });
  res.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>' +
      '<Message>We encountered an internal error. Please try again.</Message></Error>',
  );
}

export interface FaultProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

export function createFaults(): Faults & {
  proxy(service: FaultService, target: string): Promise<FaultProxy>;
} {
  let armed: Fault[] = [];
  let failed = 0;
  const matches = (service: FaultService, call: Call): boolean =>
    armed.some(
      (f) =>
        f.service === service &&
        f.operation === call.operation &&
        (f.keyPrefix === undefined || (call.key ?? '').startsWith(f.keyPrefix)),
    );

  async function proxy(service: FaultService, target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    const server = createServer((req, res) => {
      const call = service === 'cognito' ? cognitoCall(req) : s3Call(req);
      if (matches(service, call)) {
        failed++;
        // Read the body first, as a service would, so the client sees an answer, not a reset.
        req.resume();
        req.on('end', () => answerFailure(service, res));
        return;
      }
      const out = forward(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  return {
    arm(fault) {
      armed = [...armed, fault];
      failed = 0;
    },
    clear() {
      armed = [];
    },
    get failed() {
      return failed;
    },
    proxy,
  };
}

/**
 * A local AWS Secrets Manager that answers GetSecretValue, the one call the functions make, over the
 * service's own wire protocol (AWS JSON 1.1), so the functions read the app client's secret locally
 * exactly as they do on Lambda: through the SDK, once per cold start. Loopback only; secrets are
 * handed in at start and kept in memory (the local stack has them from the local Cognito every start).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecretsOptions {
  /** Secret name → SecretString. */
  secrets: Readonly<Record<string, string>>;
  region: string;
  port?: number;
  host?: string;
}

export interface LocalSecrets {
  /** http://127.0.0.1:PORT, for the SDK's `endpoint`. */
  endpoint: string;
  /** The ARN of each secret, as Secrets Manager would name it. */
  arnOf(name: string): string;
  close(): Promise<void>;
}

/** Requests are a few hundred bytes; anything larger is not a GetSecretValue call. */
const MAX_BODY_BYTES = 64 * 1024;

export async function startLocalSecrets(options: LocalSecretsOptions): Promise<LocalSecrets> {
  const created = Math.floor(Date.now() / 1000);
  const stored = new Map(
    Object.entries(options.secrets).map(([name, value]) => [
      name,
      {
        name,
        value,
        // Secrets Manager appends six random characters to a secret's ARN.
        arn: `arn:aws:secretsmanager:${options.region}:000000000000:secret:${name}-${randomUUID().slice(0, 6)}`,
        versionId: randomUUID(),
      },
    ]),
  );
  const find = (id: unknown) =>
    typeof id === 'string' ? [...stored.values()].find((s) => s.name === id || s.arn === id) : undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, 'InternalServiceError', 'An internal error occurred.'));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'InvalidRequestException', 'Only POST is accepted.');
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, 'InvalidRequestException', 'Request too large.');
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'secretsmanager.GetSecretValue') {
      return send(res, 400, 'UnknownOperationException', 'The requested operation is not supported.');
    }
    let request: { SecretId?: unknown; VersionStage?: unknown };
    try {
      request = JSON.parse(body || '{}') as typeof request;
    } catch {
      return send(res, 400, 'SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof request.SecretId !== 'string' || request.SecretId.length === 0) {
      return send(res, 400, 'InvalidParameterException', 'SecretId is required.');
    }
    if (request.VersionStage !== undefined && request.VersionStage !== 'AWSCURRENT') {
      return send(
        res,
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for staging label: " +
          String(request.VersionStage),
      );
    }
    const secret = find(request.SecretId);
    if (!secret)
      return send(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(
      JSON.stringify({
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: created,
      }),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    arnOf(name) {
      const secret = stored.get(name);
      if (!secret) throw new Error(`no local secret named ${name}`);
      return secret.arn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ __type: type, message }));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * infra/function-code.ts: functions bundled exactly as the stack bundles them (the options of
 * infra/function-bundling.ts, esbuild's JS API with the plugin of infra/sdk-schema-keys.ts, in a child
 * process) still work: every SDK client serializes and parses as it does unbundled, a real handler that
 * uses S3 runs end to end against a loopback stand-in for Cognito and S3, and a build that fails fails
 * the synthesis with esbuild's message, never falling back to Docker.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE } from '../../infra/bundle-function';
import { clientsOf, functionBundling } from '../../infra/function-bundling';
import { bundleFunctionSync, functionCode } from '../../infra/function-code';
import { functionEnvironment } from '../../infra/function-environment';
import { ROOT } from '../../infra/paths';
import { settingsFor } from '../../infra/settings';
import { handlerPathOf } from '../../infra/stack';
import { OPERATIONS } from '../../infra/wiring';
import { handler as unbundledProbe } from './fixtures/sdk-requests';

const settings = settingsFor('dev');
const run = promisify(execFile);
const cache = join(ROOT, 'node_modules', '.cache');
let out: string;

beforeAll(() => {
  // The cache folder exists only once something has used it (codegen does); a fresh node_modules may lack it.
  mkdirSync(cache, { recursive: true });
  out = mkdtempSync(join(cache, 'function-code-test-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Imports a bundle in a fresh Node (no NODE_OPTIONS, only these variables), calls its handler, prints its answer. */
async function invoke(bundle: string, env: Record<string, string>, event: unknown = {}): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { handler } = await import(${JSON.stringify(bundle)});
       const answer = await handler(${JSON.stringify(event)}, { awsRequestId: 'aws-request-1' });
       process.stdout.write('\\n' + JSON.stringify(answer) + '\\n');`,
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
  );
  // The function's own log lines come first.
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('a function bundled as the stack bundles it', () => {
  it('serializes every call and parses every answer of the four SDK clients as the SDK does unbundled', async () => {
    const dir = join(out, 'sdk-requests');
    bundleFunctionSync({
      entry: join(ROOT, 'test', 'infra', 'fixtures', 'sdk-requests.ts'),
      outdir: dir,
      workingDir: ROOT,
      options: functionBundling(settings, ['s3', 'dynamodb', 'secretsManager']),
    });
    expect(readdirSync(dir)).toEqual([BUNDLE_FILE]);
    const code = readFileSync(join(dir, BUNDLE_FILE), 'utf8');
    // The rewritten schemas: esbuild dropped those of the S3 operations the fixture does not call.
    expect(code).toContain('com.amazonaws.s3');
    expect(code).not.toContain('PutBucketAnalyticsConfiguration');

    const bundled = (await invoke(join(dir, BUNDLE_FILE), {})) as Awaited<ReturnType<typeof unbundledProbe>>;
    expect(bundled).toEqual(await unbundledProbe());

    // And what that is, so that two equally broken runs cannot pass: the traits the schemas carry.
    const answer = bundled as {
      sent: {
        method: string;
        path: string;
        query: Record<string, string>;
        headers: Record<string, string>;
      }[];
      s3: Record<string, unknown>;
      cognito: Record<string, unknown>;
      dynamodb: Record<string, unknown>;
    };
    expect(answer.sent.map((r) => `${r.method} ${r.path} ${r.headers['x-amz-target'] ?? ''}`.trim())).toEqual(
      [
        'PUT /qr/user.png',
        'GET /qr/user.png',
        'GET /',
        'GET /qr/none.png',
        'POST / AWSCognitoIdentityProviderService.AdminGetUser',
        'POST / AWSCognitoIdentityProviderService.AdminGetUser',
        'POST / DynamoDB_20120810.UpdateItem',
        'POST / DynamoDB_20120810.UpdateItem',
        'POST / secretsmanager.GetSecretValue',
      ],
    );
    expect(answer.sent[0]!.headers).toMatchObject({
      'content-type': 'image/png',
      'x-amz-meta-owner': 'user',
      'x-amz-tagging': 'kind=qr',
    });
    expect(answer.sent[2]!.query).toEqual({ 'list-type': '2', prefix: 'qr/', 'max-keys': '10' });
    expect(answer.s3).toMatchObject({
      put: { ETag: '"put-etag"', VersionId: 'v1' },
      got: { ETag: '"get-etag"', ContentType: 'text/plain', ContentLength: 5 },
      body: 'hello',
      listed: { KeyCount: 2, Contents: [{ Key: 'qr/a.png' }, { Key: 'qr/b.png' }] },
      missing: { name: 'NoSuchKey', fault: 'client', status: 404 },
    });
    expect(answer.cognito).toMatchObject({ unknownUser: { name: 'UserNotFoundException', status: 400 } });
    expect(answer.dynamodb).toMatchObject({ bounded: { name: 'ConditionalCheckFailedException' } });
  });

  describe('a real handler that uses S3 (deleteMe), against loopback stand-ins for Cognito and S3', () => {
    const calls: string[] = [];
    let server: Server;
    let endpoint: string;

    /** Cognito by its JSON target, S3 (path style) by method and query: only what deleteMe calls. */
    const answer = (request: IncomingMessage): { status: number; type: string; body: string } => {
      const target = request.headers['x-amz-target'];
      calls.push(target ? String(target) : `${request.method} ${request.url}`);
      if (target === 'AWSCognitoIdentityProviderService.GetUser') {
        const attributes = [{ Name: 'sub', Value: 'sub-1' }];
        return {
          status: 200,
          type: 'application/x-amz-json-1.1',
          body: JSON.stringify({ Username: 'user', UserAttributes: attributes }),
        };
      }
      if (target === 'AWSCognitoIdentityProviderService.DeleteUser') {
        return { status: 200, type: 'application/x-amz-json-1.1', body: '{}' };
      }
      if (request.method === 'GET' && request.url?.includes('list-type=2')) {
        const body =
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bucket</Name><KeyCount>1</KeyCount>' +
          '<IsTruncated>false</IsTruncated><Contents><Key>qr/sub-1/enrol.png</Key><Size>3</Size></Contents></ListBucketResult>';
        return { status: 200, type: 'application/xml', body };
      }
      if (request.method === 'DELETE') return { status: 204, type: 'application/xml', body: '' };
      return { status: 400, type: 'application/xml', body: '<Error><Code>Unexpected</Code></Error>' };
    };

    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          const { status, type, body } = answer(request);
          response.writeHead(status, { 'content-type': type }).end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('loads with its environment, builds its clients and deletes the account and its objects', async () => {
      const operation = OPERATIONS.find((o) => o.functionName === 'deleteMe')!;
      const clients = clientsOf(operation, true);
      expect(clients).toContain('s3');
      const dir = join(out, 'deleteMe');
      bundleFunctionSync({
        entry: handlerPathOf(operation),
        outdir: dir,
        workingDir: ROOT,
        options: functionBundling(settings, clients),
      });
      const env = {
        ...functionEnvironment(settings, 'SILENT'),
        AWS_REGION: settings.region,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
        USER_POOL_ID: `${settings.region}_pool`,
        USER_POOL_CLIENT_ID: 'client',
        MFA_BUCKET: 'bucket',
        // The local stack's endpoints, here the stand-ins.
        COGNITO_ENDPOINT: endpoint,
        S3_ENDPOINT: endpoint,
      };
      const event = {
        arguments: {},
        identity: { sub: 'sub-1', username: 'user', groups: [] },
        accessToken: 'access-token',
        requestId: 'request-1',
      };
      expect(await invoke(join(dir, BUNDLE_FILE), env, event)).toEqual({ data: { deleted: true } });
      expect(calls.slice(0, 2)).toEqual([
        'AWSCognitoIdentityProviderService.GetUser',
        'AWSCognitoIdentityProviderService.DeleteUser',
      ]);
      // Its objects, by the S3 calls its wiring row allows: list and delete its QR codes, delete its
      // recovery codes.
      const s3 = calls.slice(2).sort();
      expect(s3).toHaveLength(3);
      expect(s3[0]).toBe('DELETE /bucket/qr/sub-1/enrol.png?x-id=DeleteObject');
      expect(s3[1]).toMatch(/^DELETE \/bucket\/recovery\/sub-1\S*\?x-id=DeleteObject$/);
      expect(s3[2]).toBe(`GET /bucket/?list-type=2&prefix=${encodeURIComponent('qr/sub-1/')}`);
    });
  });

  it("fails the synthesis with esbuild's message when the build fails, and never tries Docker", () => {
    const stack = new Stack(new App({ outdir: join(out, 'failing') }), 'Failing');
    const entry = join(out, 'no-such-handler.ts');
    expect(
      () =>
        new LambdaFunction(stack, 'Fn', {
          code: functionCode(entry, functionBundling(settings, [])),
          handler: 'index.handler',
          runtime: Runtime.NODEJS_22_X,
        }),
    ).toThrow(/could not bundle [^\n]*no-such-handler\.ts[\s\S]*Could not resolve/);
  });
});

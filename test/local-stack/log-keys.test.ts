/**
 * The local stack runs every function in one process, many requests at once, as a Lambda execution
 * environment with multi-concurrency does: each function log line carries its own request's keys,
 * however the requests overlap (a key appended by one request and removed at its end must not
 * vanish from, or appear in, another's lines).
 */
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ForgotPasswordDocument, LoginDocument, RefreshDocument } from '../generated/graphql';
import { startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  // An SDK request before the stack starts, as a benchmark or a script may make: the SDK then asks for
  // the runtime's store first, and the stack must still keep invocations apart.
  const early = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await early.send(new ListUserPoolsCommand({ MaxResults: 1 })).catch(() => undefined);
  early.destroy();
  api = await startApi({ functionLogLevel: 'INFO' });
});
afterAll(() => api.stack.close());

interface LogLine {
  message?: string;
  operation?: string;
  requestId?: string;
}

describe('function logs under concurrent requests', () => {
  it('keep each request’s own operation and request id on every line', async () => {
    const lines: LogLine[] = [];
    // Kept, not printed: the lines are what this test reads, and noise in the test run's output.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      for (const text of String(chunk).split('\n')) {
        if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
      }
      return true;
    });
    const rounds = 10;
    try {
      await Promise.all(
        Array.from({ length: rounds }, () => [
          api.call(LoginDocument, {
            input: { email: uniqueEmail('logs'), password: 'not the password at all' },
          }),
          api.call(ForgotPasswordDocument, { input: { email: uniqueEmail('logs') } }),
          api.call(RefreshDocument, { input: { refreshToken: 'x'.repeat(64) } }),
        ]).flat(),
      );
    } finally {
      spy.mockRestore();
    }
    const outcomes = lines.filter((l) => l.message?.startsWith('operation '));
    expect(outcomes).toHaveLength(3 * rounds);
    const operationOf = new Map<string, string>();
    for (const line of outcomes) {
      expect(line.requestId, JSON.stringify(line)).toBeTruthy();
      expect(line.operation, JSON.stringify(line)).toMatch(/^Mutation\.(login|forgotPassword|refresh)$/);
      operationOf.set(line.requestId!, line.operation!);
    }
    // One line per request, each under its own id.
    expect(operationOf.size).toBe(3 * rounds);
    const counts = [...operationOf.values()].reduce<Record<string, number>>(
      (acc, op) => ({ ...acc, [op]: (acc[op] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({
      'Mutation.login': rounds,
      'Mutation.forgotPassword': rounds,
      'Mutation.refresh': rounds,
    });
  });
});

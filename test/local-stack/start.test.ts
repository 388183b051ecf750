import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS } from '../../infra/wiring';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm start`'s entry point as a user would, on free ports, until it prints that it is running. */
function start() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      COGNITO_PORT: '0',
      S3_PORT: '0',
      LOCAL_STATE_DIR: join(dir, 'state'),
      OUTPUTS_FILE: join(dir, 'outputs.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running') && output.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

describe('npm start', () => {
  it(
    'serves every operation, writes the outputs file, and stops cleanly on Ctrl-C',
    { timeout: 90_000 },
    async () => {
      const run = start();
      await run.ready;

      const outputs = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(outputs).sort()).toEqual(
        [
          'apiKey',
          'cognitoEndpoint',
          'graphqlUrl',
          'mailboxUrl',
          'mfaBucket',
          'region',
          's3Endpoint',
          'userPoolClientId',
          'userPoolId',
        ].sort(),
      );
      expect(run.output()).toContain(outputs.graphqlUrl);
      expect(run.output()).toContain(outputs.mailboxUrl);
      expect(run.output()).toContain(`Serving ${OPERATIONS.length} operations.`);

      const answer = await fetch(outputs.graphqlUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': outputs.apiKey! },
        body: JSON.stringify({ query: '{ __schema { mutationType { fields { name } } } }' }),
      });
      const body = (await answer.json()) as {
        data: { __schema: { mutationType: { fields: { name: string }[] } } };
      };
      expect(body.data.__schema.mutationType.fields.map((f) => f.name)).toContain('createUser');

      const mailbox = await fetch(outputs.mailboxUrl!);
      expect(await mailbox.json()).toEqual({ messages: [] });

      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('stopping');
    },
  );
});

/**
 * A local stack killed mid-run (SIGKILL: no clean shutdown, writes cut short) and started again on
 * the same state folder loses no account that had completed enrolment before the kill.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginDocument, VerifyMfaDocument } from '../generated/graphql';
import { PASSWORD, startApi, uniqueEmail } from '../api/harness';

const dir = mkdtempSync(join(tmpdir(), 'kill-restart-'));
const stateDir = join(dir, 'state');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outputs {
  graphqlUrl: string;
  apiKey: string;
  mailboxUrl: string;
}

/** `npm start`'s entry point in a child process, on free ports. */
async function startChild() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      COGNITO_PORT: '0',
      S3_PORT: '0',
      LOCAL_STATE_DIR: stateDir,
      OUTPUTS_FILE: join(dir, 'outputs.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const outputs = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Outputs;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, outputs, exited };
}

async function post(outputs: Outputs, query: string, variables: Record<string, unknown>) {
  const res = await fetch(outputs.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': outputs.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: Record<string, Record<string, string> | null>;
    errors?: unknown[];
  };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Create, confirm and enrol one account over HTTP; resolves with its authenticator secret. */
async function enrol(outputs: Outputs, email: string): Promise<string> {
  await post(outputs, 'mutation ($i: CreateUserInput!) { createUser(input: $i) { status } }', {
    i: { email, fullName: 'Kill Test' },
  });
  const mail = (await (await fetch(`${outputs.mailboxUrl}?to=${encodeURIComponent(email)}`)).json()) as {
    messages: { code: string }[];
  };
  const setup = (
    await post(
      outputs,
      'mutation ($i: ConfirmUserInput!) { confirmUser(input: $i) { session secretCode } }',
      {
        i: { email, temporaryPassword: mail.messages.at(-1)!.code, newPassword: PASSWORD },
      },
    )
  ).confirmUser!;
  await post(outputs, 'mutation ($i: ConfirmMfaInput!) { confirmMfa(input: $i) { mfaStatus } }', {
    i: { email, session: setup.session, otp: generateSync({ secret: setup.secretCode! }) },
  });
  return setup.secretCode!;
}

describe('a local stack killed mid-run', () => {
  it('loses no enrolled account when started again', { timeout: 180_000 }, async () => {
    const first = await startChild();
    const enrolled = new Map<string, string>();
    let killed = false;
    const worker = async (n: number) => {
      for (let i = 0; !killed; i++) {
        const email = uniqueEmail(`kill${n}-${i}`);
        try {
          const secret = await enrol(first.outputs, email);
          if (!killed) enrolled.set(email, secret);
        } catch {
          // Cut off by the kill: this account may or may not exist, and it is not counted.
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, n) => worker(n));
    // Kill while writes are in flight, once a fair number of accounts are done.
    while (enrolled.size < 40) await new Promise((r) => setTimeout(r, 50));
    killed = true;
    first.child.kill('SIGKILL');
    await first.exited;
    const completed = new Map(enrolled);
    await Promise.all(workers);

    const second = await startApi({ stateDir });
    try {
      second.advance(90_000); // past the codes used before the kill
      const lost: string[] = [];
      for (const [email, secret] of completed) {
        const login = await second.call(LoginDocument, { input: { email, password: PASSWORD } });
        if (login.data?.login?.challenge !== 'SOFTWARE_TOKEN_MFA') {
          lost.push(email);
          continue;
        }
        const tokens = await second.call(VerifyMfaDocument, {
          input: { email, session: login.data.login.session, otp: second.totp(secret) },
        });
        if (tokens.errors.length > 0) lost.push(email);
      }
      expect(lost).toEqual([]);
      expect(completed.size).toBeGreaterThanOrEqual(40);
    } finally {
      await second.stack.close();
    }
  });
});

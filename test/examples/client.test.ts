import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthApiError, AuthClient } from '../../examples/client/auth-client';
import { PASSWORD, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
let dir: string;
beforeAll(async () => {
  api = await startApi();
  dir = mkdtempSync(join(tmpdir(), 'example-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the example client', () => {
  it('signs up, enrols, signs in with TOTP on another device, reads the account and signs out everywhere, with typed errors', async () => {
    const client = new AuthClient(api.stack.outputs);
    const email = uniqueEmail('example');
    await client.signUp(email, 'Example Person');
    const setup = await client.confirm(email, api.latestCode(email), PASSWORD);
    const { recoveryCodes } = await client.enrol(email, setup.session, api.totp(setup.secretCode));
    expect(recoveryCodes).toHaveLength(10);
    expect(await client.me()).toMatchObject({ email, mfaEnabled: true });
    api.advance(30_000);

    const other = new AuthClient(api.stack.outputs);
    const { challenge, session } = await other.signIn(email, PASSWORD);
    expect(challenge).toBe('SOFTWARE_TOKEN_MFA');
    await other.secondFactor(email, session, api.totp(setup.secretCode));
    expect(await other.me()).toMatchObject({ email, fullName: 'Example Person', mfaEnabled: true });

    await client.signOut();
    const refused = await other.me().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthApiError);
    expect((refused as AuthApiError).is('NOT_AUTHORIZED')).toBe(true);
    // Signed out here too: nothing is sent without a session.
    const local = await client.me().catch((e: unknown) => e);
    expect(local).toMatchObject({ type: 'NOT_AUTHORIZED', origin: 'link' });
  });

  it(
    'runs as a terminal program: shows the QR code and secret, asks for codes, says who you are',
    { timeout: 60_000 },
    async () => {
      const outputsFile = join(dir, 'outputs.json');
      writeFileSync(outputsFile, JSON.stringify(api.stack.outputs));
      const email = uniqueEmail('cli');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'examples/client/cli.ts', email, 'Terminal User', '--outputs', outputsFile],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let output = '';
      const answered = new Set<string>();
      const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Your password') && !answered.has('password')) {
          answered.add('password');
          child.stdin.write(`${PASSWORD}\n`);
        }
        const secret = /Secret: ([A-Z2-7]+)/.exec(output)?.[1];
        if (secret && output.includes('Code from the app') && !answered.has('code')) {
          answered.add('code');
          // The child talks to the local Cognito on its own clock; the stack's test clock is not moved here.
          child.stdin.write(`${generateSync({ secret, epoch: Math.floor(api.now() / 1000) })}\n`);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      expect(await done, output).toBe(0);
      expect(output).toContain('Temporary password taken from the local mailbox.');
      expect(output).toMatch(/Recovery codes/);
      expect(output).toContain('Signed in as Terminal User');
      expect(output).toContain('Signed out everywhere.');
    },
  );
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginDocument, VerifyMfaDocument } from '../generated/graphql';
import { enrolUser, startApi } from './harness';

const stateDir = mkdtempSync(join(tmpdir(), 'restart-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('restarting the local stack', () => {
  it(
    'keeps accounts, enrolments and the API key: an enrolled user signs in after a restart',
    { timeout: 60_000 },
    async () => {
      const first = await startApi({ stateDir });
      const user = await enrolUser(first);
      const { outputs } = first.stack;
      const ports = {
        api: Number(new URL(outputs.graphqlUrl).port),
        cognito: Number(new URL(outputs.cognitoEndpoint).port),
        s3: Number(new URL(outputs.s3Endpoint).port),
      };
      await first.stack.close();

      // Same state folder and ports, as `npm start` after Ctrl-C.
      const second = await startApi({ stateDir, ports });
      try {
        expect(second.stack.outputs).toEqual(outputs);
        second.advance(60_000); // past the TOTP step the first run used
        const login = await second.call(LoginDocument, {
          input: { email: user.email, password: user.password },
        });
        expect(login.data!.login).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA' });
        const tokens = await second.call(VerifyMfaDocument, {
          input: { email: user.email, session: login.data!.login!.session, otp: second.totp(user.secret) },
        });
        expect(tokens.errors).toEqual([]);
        expect(tokens.data!.verifyMfa!.tokenType).toBe('Bearer');
      } finally {
        await second.stack.close();
      }
    },
  );
});

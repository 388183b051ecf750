/**
 * No error echoes what was sent: a password, code, session or token in a request that is refused
 * (by the local AppSync's variable checks, or by a function's input rules) never comes back in the
 * error's message or errorInfo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphql, startApi, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

const SECRET = 'correct-horse-battery-staple-9731';
const SESSION = `session-${'x'.repeat(40)}-4242`;

const post = (query: string, variables: Record<string, unknown>) => postGraphql(api, query, variables);

const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { challenge } }';
const VERIFY = 'mutation ($input: VerifyMfaInput!) { verifyMfa(input: $input) { tokenType } }';

describe('refused input is never echoed', () => {
  it('in a variable with a field of the wrong type', async () => {
    const text = await post(LOGIN, { input: { email: 12345, password: SECRET } });
    expect(text).toContain("Variable 'input' has an invalid value at 'input.email'");
    expect(text).not.toContain(SECRET);
  });

  it('in a variable with a field the input type does not have', async () => {
    const text = await post(LOGIN, { input: { email: 'a@example.com', password: SECRET, otp: SECRET } });
    expect(text).toContain("Field 'otp' is not defined by type 'LoginInput'");
    expect(text).not.toContain(SECRET);
  });

  it('in a variable that lacks a required field', async () => {
    const text = await post(VERIFY, { input: { email: 'a@example.com', session: SESSION } });
    expect(text).toContain("Field 'otp' of required type 'String!' was not provided");
    expect(text).not.toContain(SESSION);
  });

  it("in a function's input errors, which name the field and the rule only", async () => {
    const text = await post(VERIFY, {
      input: { email: 'a@example.com', session: SESSION, otp: `${SECRET}!` },
    });
    const body = JSON.parse(text) as { errors: { errorType: string; errorInfo: unknown }[] };
    expect(body.errors[0]!.errorType).toBe('BAD_USER_INPUT');
    expect(text).toContain('otp');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SESSION);
  });
});

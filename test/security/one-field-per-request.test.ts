/**
 * One field per request: a request that would run more than one resolver is refused whole, before
 * any field runs, however the fields are spelt (aliases, inline fragments, fragment spreads). So no
 * request multiplies guesses or mails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument } from '../generated/graphql';
import { enrolUser, postGraphql, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

interface Raw {
  data?: Record<string, unknown> | null;
  errors?: { errorType?: string }[];
}

const post = async (query: string): Promise<Raw> => JSON.parse(await postGraphql(api, query)) as Raw;

const refusedWhole = (answer: Raw) => {
  expect(answer.data ?? null).toBeNull();
  expect(answer.errors?.map((e) => e.errorType)).toEqual(['ResolverCountLimitExceeded']);
};

describe('one field per request', () => {
  it('refuses fifty aliased guesses of a code before any is checked', async () => {
    const user = await enrolUser(api);
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    const session = login.data!.login!.session;
    const right = api.totp(user.secret);
    const fields = Array.from(
      { length: 50 },
      (_, i) =>
        `g${i}: verifyMfa(input: { email: ${JSON.stringify(user.email)}, session: ${JSON.stringify(session)}, otp: "${String(i).padStart(6, '0')}" }) { accessToken }`,
    );
    refusedWhole(await post(`mutation { ${fields.join(' ')} }`));
    // Nothing was checked, so nothing was counted: the right code still signs in.
    const answer = await post(
      `mutation { verifyMfa(input: { email: ${JSON.stringify(user.email)}, session: ${JSON.stringify(session)}, otp: "${right}" }) { tokenType } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ verifyMfa: { tokenType: 'Bearer' } });
  });

  it('refuses aliased mail-sending fields, and sends nothing', async () => {
    const user = await enrolUser(api);
    const before = api.stack.mailbox.messages({ to: user.email }).length;
    const field = (alias: string) =>
      `${alias}: forgotPassword(input: { email: ${JSON.stringify(user.email)} }) { medium }`;
    refusedWhole(await post(`mutation { ${field('a')} ${field('b')} }`));
    const invites = Array.from(
      { length: 5 },
      (_, i) =>
        `i${i}: createUser(input: { email: ${JSON.stringify(uniqueEmail('alias'))}, fullName: "X" }) { status }`,
    );
    refusedWhole(await post(`mutation { ${invites.join(' ')} }`));
    expect(api.stack.mailbox.messages({ to: user.email })).toHaveLength(before);
  });

  it('counts fields inside inline fragments and fragment spreads', async () => {
    const user = await enrolUser(api);
    const before = api.stack.mailbox.messages({ to: user.email }).length;
    const field = (alias: string) =>
      `${alias}: forgotPassword(input: { email: ${JSON.stringify(user.email)} }) { medium }`;
    refusedWhole(
      await post(`fragment More on Mutation { ${field('c')} }
        mutation { ${field('a')} ... on Mutation { ${field('b')} } ...More }`),
    );
    expect(api.stack.mailbox.messages({ to: user.email })).toHaveLength(before);
  });

  it('still runs a request with one field, whatever its alias or fragment', async () => {
    const user = await enrolUser(api);
    const answer = await post(
      `fragment F on Mutation { reset: forgotPassword(input: { email: ${JSON.stringify(user.email)} }) { medium } }
       mutation { ...F }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ reset: { medium: 'EMAIL' } });
  });
});

/**
 * One spelling per e-mail address: addresses that differ from another only by invisible characters
 * are refused before any account exists, and Unicode spellings of one address are one account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserDocument, ForgotPasswordDocument } from '../generated/graphql';
import { expectRefused, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

const create = (email: string) => api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });

describe('e-mail addresses', () => {
  const invisible: Record<string, string> = {
    'a NUL': '\u0000',
    'a control character': '\u0007',
    'a zero-width space': '\u200B',
    'a zero-width joiner': '\u200D',
    'a right-to-left override': '\u202E',
    'a byte-order mark': '\uFEFF',
    'a Hangul filler': '\u3164',
    'a variation selector': '\uFE0F',
  };
  for (const [name, character] of Object.entries(invisible)) {
    it(`refuses an address holding ${name}, and creates no account for it`, async () => {
      const plain = uniqueEmail('inv');
      const [local, domain] = plain.split('@') as [string, string];
      const answer = await create(`${local}${character}@${domain}`);
      const error = expectRefused(answer, 'BAD_USER_INPUT', 'createUser');
      expect(JSON.stringify(error)).not.toContain(local);
      expect(api.stack.mailbox.messages().filter((m) => m.to.includes(local))).toEqual([]);
    });
  }

  it('treats composed and decomposed spellings of one address as one account', async () => {
    const tag = uniqueEmail('x').split('@')[0]!;
    const composed = `jos\u00E9.${tag}@example.com`;
    const decomposed = `jose\u0301.${tag}@example.com`;
    expect((await create(decomposed)).errors).toEqual([]);
    // The invitation went to the one (NFC) spelling; a reset for the other spelling is the same account.
    expect(api.stack.mailbox.messages({ to: composed }).map((m) => m.kind)).toEqual(['invitation']);
    expect((await api.call(ForgotPasswordDocument, { input: { email: composed } })).errors).toEqual([]);
    expect(api.stack.mailbox.messages({ to: decomposed })).toEqual([]);
  });
});

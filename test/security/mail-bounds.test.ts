/**
 * Mail bounds per address: however often anyone asks, one address gets a few invitations and a few
 * reset codes an hour, and the answer is the same whether a mail went out or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_BOUNDS } from '../../functions/domain/mail-bounds';
import { CreateUserDocument, ForgotPasswordDocument, ResendInvitationDocument } from '../generated/graphql';
import { enrolUser, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

const mails = (to: string, kind: string) => api.stack.mailbox.messages({ to }).filter((m) => m.kind === kind);

describe('mail bounds per address', () => {
  it('sends an address at most a few reset codes an hour, with one answer for every request', async () => {
    const user = await enrolUser(api);
    const other = await enrolUser(api);
    const answers = [];
    for (let i = 0; i < 3 * MAIL_BOUNDS.passwordReset.failures; i++) {
      answers.push(await api.call(ForgotPasswordDocument, { input: { email: user.email } }));
    }
    expect(mails(user.email, 'password-reset')).toHaveLength(MAIL_BOUNDS.passwordReset.failures);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.errors).toEqual([]);
    // Another address is not affected.
    await api.call(ForgotPasswordDocument, { input: { email: other.email } });
    expect(mails(other.email, 'password-reset')).toHaveLength(1);
    // The window ends: a code can be asked for again.
    api.advance(MAIL_BOUNDS.passwordReset.windowSeconds * 1000 + 1000);
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    expect(mails(user.email, 'password-reset')).toHaveLength(MAIL_BOUNDS.passwordReset.failures + 1);
  });

  it('bounds re-sent invitations the same way, through createUser and resendInvitation alike', async () => {
    const email = uniqueEmail('invite');
    const answers = [];
    for (let i = 0; i < 2 * MAIL_BOUNDS.invitation.failures; i++) {
      answers.push(await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } }));
      answers.push(await api.call(ResendInvitationDocument, { input: { email } }));
    }
    // The first invitation comes with the account; the re-sends are bounded.
    expect(mails(email, 'invitation')).toHaveLength(1 + MAIL_BOUNDS.invitation.failures);
    const createAnswers = answers.filter((_, i) => i % 2 === 0).map((a) => JSON.stringify(a));
    const resendAnswers = answers.filter((_, i) => i % 2 === 1).map((a) => JSON.stringify(a));
    expect(new Set(createAnswers).size).toBe(1);
    expect(new Set(resendAnswers).size).toBe(1);
  });
});

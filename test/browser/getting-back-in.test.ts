/**
 * The web example's other roads, on a desktop-width window: an account that left before setting up
 * its authenticator (the e-mailed code at sign-in), a forgotten password, a lost authenticator with a
 * recovery code, and the theme chosen with the toggle. Each screen is scanned by axe and photographed
 * in both themes (test-results/browser/…).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../schema/messages';
import { ConfirmUserDocument, CreateUserDocument } from '../generated/graphql';
import { enrolUser, PASSWORD, uniqueEmail } from '../api/harness';
import { descriptionOf, enrolmentShown, screenTitle, startWebApp, stepper, type WebApp } from './web-app';

let app: WebApp;

beforeAll(async () => {
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('web example: getting back in', () => {
  it(
    'an account that never set up its authenticator proves its e-mail at sign-in, then sets one up',
    { timeout: 120_000 },
    async () => {
      const { api } = app;
      const step = stepper('enrolment-email');
      const email = uniqueEmail('web-unenrolled');
      // Registered and given a password, then left before the first code.
      await api.call(CreateUserDocument, { input: { email, fullName: 'Grace Hopper' } });
      await api.call(ConfirmUserDocument, {
        input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
      });
      const { context, page } = await app.open();

      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await screenTitle(page)).toBe('Confirm your e-mail address');
      const mailbox = page.getByRole('complementary', { name: 'Local mailbox' });
      await mailbox.getByRole('button', { name: 'Use this code' }).waitFor();
      await step(page, 'email-code');
      // A wrong code is said beside the field.
      await page.getByLabel('Code from the e-mail').fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => descriptionOf(page, 'Code from the e-mail')).toContain(MESSAGES.codeMismatch);
      await mailbox.getByRole('button', { name: 'Use this code' }).click();
      expect(await page.getByLabel('Code from the e-mail').inputValue()).toBe(api.latestCode(email));
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await screenTitle(page)).toBe('Set up your authenticator app');
      const { secret, qr } = await enrolmentShown(page);
      expect(qr).toContain(`secret=${secret}`);
      await page.getByLabel('The 6-digit code the app shows').fill(api.totp(secret));
      await page.getByRole('button', { name: 'Finish set-up' }).click();
      expect(await screenTitle(page)).toBe('Save your recovery codes');
      api.advance(30_000); // once the answer is in: the next code comes from the next time step
      await page.getByLabel('I have saved my recovery codes somewhere safe').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await screenTitle(page)).toBe('Your account');
      await page.getByText(email).waitFor();
      await context.close();
    },
  );

  it(
    'a forgotten password is reset with the e-mailed code, and the new one signs in',
    { timeout: 120_000 },
    async () => {
      const { api } = app;
      const step = stepper('forgotten-password');
      const user = await enrolUser(api, uniqueEmail('web-forgot'));
      const { context, page } = await app.open();

      await page.getByRole('button', { name: 'Forgot your password?' }).click();
      expect(await screenTitle(page)).toBe('Forgot your password?');
      await page.getByLabel('E-mail address').fill(user.email);
      await step(page, 'ask');
      await page.getByRole('button', { name: 'Send the code' }).click();

      expect(await screenTitle(page)).toBe('Choose a new password');
      const mailbox = page.getByRole('complementary', { name: 'Local mailbox' });
      await mailbox.getByRole('button', { name: 'Use this code' }).click();
      expect(await page.getByLabel('Code from the e-mail').inputValue()).toBe(api.latestCode(user.email));
      await page.getByLabel('New password', { exact: true }).fill('short');
      await page.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => descriptionOf(page, 'New password')).toContain('at least 15 characters');
      await step(page, 'reset');
      const newPassword = 'a lighthouse keeper with a cat';
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();

      expect(await screenTitle(page)).toBe('Sign in');
      await page
        .getByText('Your password was changed and every session signed out.', { exact: false })
        .waitFor();
      await page.getByLabel('Password', { exact: true }).fill(newPassword);
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await screenTitle(page)).toBe('Enter your authenticator code');
      await page.getByLabel(/6-digit code/).fill(api.totp(user.secret));
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await screenTitle(page)).toBe('Your account');
      api.advance(30_000); // once the answer is in: the next code comes from the next time step
      await page.getByText(user.email).waitFor();
      await context.close();
    },
  );

  it(
    'a lost authenticator is replaced with a recovery code, which then works no more',
    { timeout: 120_000 },
    async () => {
      const { api } = app;
      const step = stepper('lost-authenticator');
      const user = await enrolUser(api, uniqueEmail('web-lost'));
      const { context, page } = await app.open();

      await page.getByRole('button', { name: 'Lost your authenticator?' }).click();
      expect(await screenTitle(page)).toBe('Lost your authenticator?');
      await page.getByLabel('E-mail address').fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByLabel('Recovery code').fill(user.recoveryCodes[0]!);
      await step(page, 'recovery-code');
      await page.getByRole('button', { name: 'Set up a new authenticator' }).click();

      expect(await screenTitle(page)).toBe('Set up your new authenticator');
      const { secret } = await enrolmentShown(page);
      expect(secret).not.toBe(user.secret);
      await step(page, 'new-authenticator');
      await page.getByLabel('The 6-digit code the app shows').fill(api.totp(secret));
      await page.getByRole('button', { name: 'Finish set-up' }).click();
      expect(await screenTitle(page)).toBe('Save your recovery codes');
      api.advance(30_000); // once the answer is in: the next code comes from the next time step
      const codes = await page
        .getByRole('list', { name: 'Recovery codes' })
        .getByRole('listitem')
        .allInnerTexts();
      expect(codes).toHaveLength(10);
      expect(codes).not.toContain(user.recoveryCodes[1]);
      await page.getByLabel('I have saved my recovery codes somewhere safe').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await screenTitle(page)).toBe('Your account');
      await page.getByText(user.email).waitFor();

      // The code used is spent: asking again is refused, in one message for all three fields.
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(await screenTitle(page)).toBe('Sign in');
      await page.getByRole('button', { name: 'Lost your authenticator?' }).click();
      await page.getByLabel('E-mail address').fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByLabel('Recovery code').fill(user.recoveryCodes[0]!);
      await page.getByRole('button', { name: 'Set up a new authenticator' }).click();
      await page.getByRole('alert').getByText(MESSAGES.recoverMfaRefused).waitFor();
      await step(page, 'recovery-code-spent');
      await context.close();
    },
  );

  it('the theme toggle overrides the system theme and is remembered', { timeout: 60_000 }, async () => {
    const { context, page } = await app.open();
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('true');
    expect(await background()).toBe(dark);
    await context.close();
  });
});

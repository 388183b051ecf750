/**
 * An account's whole life in the web example, at phone width, as a person goes through it: register,
 * the temporary password from the local mailbox, a password against the policy, the QR code and
 * secret, the first code, the recovery codes, sign-out, sign-in with password and code, the profile,
 * the data export, a password change, and deletion. Every screen is scanned by axe and photographed
 * in both themes (test-results/browser/journey/).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../schema/messages';
import { uniqueEmail } from '../api/harness';
import {
  descriptionOf,
  enrolmentShown,
  focusedId,
  PHONE,
  screenTitle,
  startWebApp,
  stepper,
  type WebApp,
} from './web-app';

let app: WebApp;

beforeAll(async () => {
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const PASSWORD = 'a walk along the quiet river';
const NEW_PASSWORD = 'seven pelicans over the harbour';

describe('web example: an account from registration to deletion', () => {
  it('walks every step with the keyboard and the screen alone', { timeout: 240_000 }, async () => {
    const { api } = app;
    const step = stepper('journey');
    const email = uniqueEmail('web');
    const { context, page } = await app.open(PHONE);

    // Start.
    expect(await screenTitle(page)).toBe('Your account');
    await step(page, 'start');
    await page.getByRole('button', { name: 'Create an account' }).click();

    // Register.
    expect(await screenTitle(page)).toBe('Create an account');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await step(page, 'register');
    await page.getByRole('button', { name: 'Create account' }).click();

    // The temporary password, shown from the local mailbox, with a link to the mailbox page.
    expect(await screenTitle(page)).toBe('Choose your password');
    const mailbox = page.getByRole('complementary', { name: 'Local mailbox' });
    await mailbox.getByRole('button', { name: 'Use this code' }).waitFor();
    expect(await mailbox.locator('.mail-code').innerText()).toBe(api.latestCode(email));
    expect(await mailbox.getByRole('link', { name: 'Open the local mailbox' }).getAttribute('href')).toBe(
      `${api.stack.outputs.mailboxUrl}?to=${encodeURIComponent(email)}`,
    );
    await mailbox.getByRole('button', { name: 'Use this code' }).click();
    expect(await page.getByLabel('Temporary password').inputValue()).toBe(api.latestCode(email));
    expect(await focusedId(page)).toBe('password-newPassword');

    // The policy as it is typed; a short password is refused beside the field, which takes the focus.
    await page.keyboard.type('too short');
    expect(await descriptionOf(page, 'New password')).toContain('At least 15 characters (9 so far)');
    expect(await descriptionOf(page, 'New password')).toContain('not yet');
    await step(page, 'password-policy', { docs: true });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => descriptionOf(page, 'New password'))
      .toContain('The new password must have at least 15');
    expect(await page.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('password-newPassword');
    await step(page, 'password-refused');
    await page.getByLabel('New password').fill(PASSWORD);
    expect(await descriptionOf(page, 'New password')).toContain(': met');
    await page.keyboard.press('Enter');

    // The QR code to scan encodes the secret shown to type.
    expect(await screenTitle(page)).toBe('Set up your authenticator app');
    const { secret, qr } = await enrolmentShown(page);
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(qr).toMatch(new RegExp(`^otpauth://totp/.+\\?secret=${secret}&`));
    await page.getByRole('button', { name: 'Copy the secret key' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await step(page, 'authenticator', { docs: true });

    // A wrong first code is said beside the code field; the right one finishes set-up.
    await page.getByLabel('The 6-digit code the app shows').fill(wrongCode(api.totp(secret)));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => descriptionOf(page, 'The 6-digit code the app shows'))
      .toContain(MESSAGES.codeMismatch);
    expect(await focusedId(page)).toBe('enrol-otp');
    await step(page, 'authenticator-wrong-code');
    await page.getByLabel('The 6-digit code the app shows').fill(api.totp(secret));
    await page.keyboard.press('Enter');

    // Recovery codes, once: copied and downloaded, and not left behind unsaved.
    expect(await screenTitle(page)).toBe('Save your recovery codes');
    api.advance(30_000); // once the answer is in: the next code comes from the next time step
    const codes = await page
      .getByRole('list', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(codes).toHaveLength(10);
    await page.getByRole('button', { name: 'Copy the codes' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'));
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the codes' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('recovery-codes.txt');
    const file = await readFile(await saved.path(), 'utf8');
    for (const code of codes) expect(file).toContain(code);
    await step(page, 'recovery-codes', { docs: true });
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('h1').innerText()).toBe('Save your recovery codes');
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Signed in by the enrolment: the profile, from userinfo.
    expect(await screenTitle(page)).toBe('Your account');
    await page.getByText(email).waitFor();
    expect(await page.locator('dl').innerText()).toMatch(/Name\s+Ada Lovelace/);
    expect(await page.locator('dl').innerText()).toMatch(/Authenticator\s+On/);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Sign-in by keyboard alone: Tab order email → password → Continue.
    expect(await screenTitle(page)).toBe('Sign in');
    await page.getByText('You are signed out, on every device.').waitFor();
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(email);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('sign-in-email');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('sign-in-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Continue');
    await step(page, 'sign-in');
    await page.keyboard.press('Enter');

    expect(await screenTitle(page)).toBe('Enter your authenticator code');
    await page.keyboard.press('Tab');
    await page.keyboard.type(api.totp(secret));
    await step(page, 'sign-in-code', { docs: true });
    await page.keyboard.press('Enter');

    expect(await screenTitle(page)).toBe('Your account');
    api.advance(30_000); // once the answer is in: the next code comes from the next time step
    await page.getByText(email).waitFor();
    await step(page, 'profile', { docs: true });

    // The data export is a file to keep.
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(exported.suggestedFilename()).toBe('my-data.json');
    expect(await readFile(await exported.path(), 'utf8')).toContain(email);
    await page.getByText('Your data was saved as my-data.json.').waitFor();

    // Change the password: a wrong current password is said beside that field.
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await screenTitle(page)).toBe('Change your password');
    await page.getByLabel('Current password').fill('not the password at all');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('A current code from your authenticator app').fill(api.totp(secret));
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => descriptionOf(page, 'Current password'))
      .toContain(MESSAGES.changePasswordRefused);
    expect(await focusedId(page)).toBe('change-oldPassword');
    await step(page, 'change-password-refused');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await screenTitle(page)).toBe('Your account');
    api.advance(30_000); // once the answer is in: the next code comes from the next time step
    await page.getByText('Your password was changed, and every other session signed out.').waitFor();
    await page.getByText(email).waitFor();

    // Sign out; the old password no longer works, the new one does.
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await screenTitle(page)).toBe('Sign in');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').getByText(MESSAGES.loginRefused).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await screenTitle(page)).toBe('Enter your authenticator code');
    await page.getByLabel(/6-digit code/).fill(api.totp(secret));
    await page.keyboard.press('Enter');
    expect(await screenTitle(page)).toBe('Your account');
    api.advance(30_000); // once the answer is in: the next code comes from the next time step

    // Deletion asks for the e-mail address first.
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    expect(await screenTitle(page)).toBe('Delete your account');
    await page.getByLabel('Type your e-mail address to confirm').fill('someone.else@example.com');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await expect
      .poll(() => descriptionOf(page, 'Type your e-mail address to confirm'))
      .toContain(`Type ${email} to confirm.`);
    await step(page, 'delete-confirmation');
    await page.getByLabel('Type your e-mail address to confirm').fill(email);
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    expect(await screenTitle(page)).toBe('Your account');
    await page.getByText('Your account and everything stored for it were deleted.').waitFor();
    await step(page, 'deleted');

    // The account is gone: its password opens nothing.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').getByText(MESSAGES.loginRefused).waitFor();
    await context.close();
  });
});

/** A six-digit code that is not the current one. */
function wrongCode(current: string): string {
  return String((Number(current) + 500_000) % 1_000_000).padStart(6, '0');
}

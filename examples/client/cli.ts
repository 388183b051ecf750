/**
 * An interactive walk through an account's life against a running API:
 *
 *   npm start                                   # in another terminal
 *   npm run example -- you@example.com "Your Name"
 *   npm run example -- you@example.com --outputs outputs.dev.json   # a deployed environment
 *
 * It signs you up (or in, if the account exists), shows the QR code in the terminal, asks for the
 * codes your authenticator app shows, and prints who you are. Locally it reads the temporary password
 * from the mailbox itself; against AWS it asks you for the one Cognito e-mailed.
 */
import { createInterface } from 'node:readline/promises';
import QRCode from 'qrcode';
import { AuthApiError, AuthClient, readOutputs, type MfaSetup } from './auth-client';

const args = process.argv.slice(2);
const outputsFlag = args.indexOf('--outputs');
const outputsFile = outputsFlag >= 0 ? args.splice(outputsFlag, 2)[1]! : 'outputs.local.json';
const [email, fullName = 'Example User'] = args;
if (!email) {
  console.error('Usage: npm run example -- <email> ["Full Name"] [--outputs outputs.<env>.json]');
  process.exit(2);
}

const outputs = readOutputs(outputsFile);
const api = new AuthClient(outputs);
const rl = createInterface({ input: process.stdin, output: process.stdout });
const ask = (question: string) => rl.question(question);

async function temporaryPassword(): Promise<string> {
  if (outputs.mailboxUrl) {
    const url = `${outputs.mailboxUrl}?to=${encodeURIComponent(email!)}`;
    const { messages } = (await (await fetch(url)).json()) as { messages: { code: string }[] };
    const last = messages.at(-1);
    if (last) {
      console.log('Temporary password taken from the local mailbox.');
      return last.code;
    }
  }
  return ask('Temporary password from the invitation e-mail: ');
}

async function showSetup(setup: MfaSetup): Promise<void> {
  console.log('\nScan this with your authenticator app (or type the secret):\n');
  console.log(await QRCode.toString(setup.otpauthUri, { type: 'terminal', small: true }));
  console.log(
    `Secret: ${setup.secretCode}\nThe same QR code as an image, until ${setup.qrCodeExpiresAt}: ${setup.qrCodeUrl}\n`,
  );
}

async function main(): Promise<void> {
  await api.signUp(email!, fullName);
  console.log(`Invitation sent to ${email} (the answer is the same if the account already exists).`);

  const password = await ask('Your password (new accounts: choose one of at least 15 characters): ');
  let setup: MfaSetup | null = null;
  let session: string;
  try {
    setup = await api.confirm(email!, await temporaryPassword(), password);
    session = setup.session;
  } catch (error) {
    // Already confirmed (or a wrong temporary password): sign in with the password instead.
    if (!(error instanceof AuthApiError) || !error.is('NOT_AUTHORIZED')) throw error;
    const signIn = await api.signIn(email!, password);
    session = signIn.session;
    if (signIn.challenge === 'EMAIL_VERIFICATION') {
      // Never finished enrolment: the password alone does not start a new one.
      setup = await api.verifyEmail(email!, session, await ask('Code from the e-mail just sent to you: '));
    }
  }

  if (setup) {
    await showSetup(setup);
    const enrolled = await api.enrol(email!, setup.session, await ask('Code from the app: '));
    console.log(`\nRecovery codes (shown once, keep them safe):\n  ${enrolled.recoveryCodes.join('\n  ')}\n`);
  } else {
    await api.secondFactor(email!, session, await ask('Code from the app: '));
  }

  const me = await api.me();
  console.log(`Signed in as ${me.fullName ?? me.email} (${me.userId}); MFA ${me.mfaEnabled ? 'on' : 'off'}.`);
  await api.signOut();
  console.log('Signed out everywhere.');
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof AuthApiError ? `${error.type}: ${error.message}` : error);
    process.exitCode = 1;
  })
  .finally(() => rl.close());

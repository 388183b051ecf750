/** Setting up the authenticator: the QR code and secret, the first code, the recovery codes. */
import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { EnrolmentEmailDocument, FirstCodeDocument, type SetupFragment } from '../../generated/graphql';
import { useSession } from '../session';
import type { Go } from '../routes';
import {
  CodeField,
  CopyButton,
  download,
  FormError,
  MailboxHint,
  Notice,
  Screen,
  Submit,
  useForm,
} from '../ui';

/** ABCD EFGH …: easier to type into an app by hand; the app ignores the spaces. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');
const digits = (code: string) => code.replace(/\s/g, '');

export function Enrol({
  go,
  email,
  setup,
  again,
}: {
  go: Go;
  email: string;
  setup: SetupFragment;
  again?: boolean | undefined;
}) {
  const [confirm] = useMutation(FirstCodeDocument);
  const session = useSession();
  const form = useForm('enrol', ['otp'] as const);
  const [otp, setOtp] = useState('');
  const [qrFailed, setQrFailed] = useState(false);
  const until = new Date(setup.qrCodeExpiresAt).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  const submit = form.onSubmit(
    async () => {
      const { data } = await confirm({
        variables: { input: { email, session: setup.session, otp: digits(otp) } },
      });
      if (!data?.confirmMfa) return;
      session.signIn(data.confirmMfa.tokens);
      go({ to: 'recoveryCodes', codes: data.confirmMfa.recoveryCodes });
    },
    { CODE_MISMATCH: 'otp' },
  );
  return (
    <Screen title={again ? 'Set up your new authenticator' : 'Set up your authenticator app'}>
      <ol className="steps">
        <li>
          <p>Scan this QR code with an authenticator app (Google Authenticator, 1Password, Aegis, …).</p>
          {qrFailed ? (
            <p>The QR code image is no longer available: type the secret key below instead.</p>
          ) : (
            <figure className="qr">
              <img
                src={setup.qrCodeUrl}
                width={200}
                height={200}
                alt={`QR code for your authenticator app, for ${email}`}
                onError={() => setQrFailed(true)}
              />
              <figcaption>The image is available until {until}.</figcaption>
            </figure>
          )}
        </li>
        <li>
          <p>Or type this secret key into the app:</p>
          <p className="secret">
            <code aria-label="Secret key">{grouped(setup.secretCode)}</code>{' '}
            <CopyButton text={setup.secretCode} label="Copy the secret key" />
          </p>
        </li>
        <li>
          <form onSubmit={submit}>
            <FormError message={form.errors.form} />
            <CodeField
              id={form.idOf('otp')}
              label="The 6-digit code the app shows"
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              error={form.errors.otp}
            />
            <Submit busy={form.busy}>Finish set-up</Submit>
          </form>
        </li>
      </ol>
      <p className="aside">
        Started too long ago?{' '}
        <button type="button" className="link" onClick={() => go({ to: 'signIn', email })}>
          Sign in again
        </button>{' '}
        to get a new code.
      </p>
    </Screen>
  );
}

export function RecoveryCodes({ go, codes }: { go: Go; codes: string[] }) {
  const [saved, setSaved] = useState(false);
  const [downloaded, setDownloaded] = useState('');
  const text = `Recovery codes for your account. Each works once, if you lose your authenticator.\n\n${codes.join('\n')}\n`;
  return (
    <Screen title="Save your recovery codes">
      <Notice>
        Your authenticator is set up and you are signed in. These codes are shown only now: each lets you set
        up a new authenticator once, if you lose this one.
      </Notice>
      <ol className="codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <CopyButton text={codes.join('\n')} label="Copy the codes" />
        <button
          type="button"
          onClick={() => {
            download('recovery-codes.txt', 'text/plain', text);
            setDownloaded('Saved as recovery-codes.txt.');
          }}
        >
          Download the codes
        </button>
        <span className="status" role="status">
          {downloaded}
        </span>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go({ to: 'profile' });
        }}
      >
        <div className="check">
          <input
            id="codes-saved"
            type="checkbox"
            required
            checked={saved}
            onChange={(e) => setSaved(e.target.checked)}
          />
          <label htmlFor="codes-saved">I have saved my recovery codes somewhere safe</label>
        </div>
        <button type="submit" className="primary">
          Continue
        </button>
      </form>
    </Screen>
  );
}

export function VerifyEmail({
  go,
  email,
  session,
  since,
}: {
  go: Go;
  email: string;
  session: string;
  since: number;
}) {
  const [verify] = useMutation(EnrolmentEmailDocument);
  const form = useForm('verify', ['code'] as const);
  const [code, setCode] = useState('');
  const submit = form.onSubmit(
    async () => {
      const { data } = await verify({ variables: { input: { email, session, code: digits(code) } } });
      if (data?.verifyEnrolmentEmail) go({ to: 'enrol', email, setup: data.verifyEnrolmentEmail });
    },
    { CODE_MISMATCH: 'code' },
  );
  return (
    <Screen title="Confirm your e-mail address">
      <p>
        Your password is set, but no authenticator was set up. To make sure it is you, we e-mailed a code to{' '}
        {email}: enter it to set up your authenticator now.
      </p>
      <MailboxHint
        email={email}
        kind="verification"
        since={since}
        what="verification code"
        onUse={(found) => {
          setCode(found);
          document.getElementById(form.idOf('code'))?.focus();
        }}
      />
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <CodeField
          id={form.idOf('code')}
          label="Code from the e-mail"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={form.errors.code}
        />
        <Submit busy={form.busy}>Continue</Submit>
      </form>
    </Screen>
  );
}

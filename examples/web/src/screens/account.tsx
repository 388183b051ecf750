/** The way in: the start page, registration and the first password. */
import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { ChoosePasswordDocument, RegisterDocument, ResendInvitationDocument } from '../../generated/graphql';
import { mailSince, type Go } from '../routes';
import {
  EmailField,
  Field,
  FormError,
  LinkButton,
  MailboxHint,
  Notice,
  NewPasswordField,
  Screen,
  Submit,
  useForm,
} from '../ui';

export function Start({ go, notice }: { go: Go; notice?: string | undefined }) {
  return (
    <Screen title="Your account">
      {notice ? <Notice>{notice}</Notice> : null}
      <p>
        Create an account with your e-mail address, set up an authenticator app, and sign in with your
        password and a code from the app.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => go({ to: 'register' })}>
          Create an account
        </button>
        <button type="button" onClick={() => go({ to: 'signIn' })}>
          Sign in
        </button>
      </div>
      <ul className="more">
        <li>
          <LinkButton onClick={() => go({ to: 'choosePassword', email: '', since: 0 })}>
            I have a temporary password
          </LinkButton>
        </li>
        <li>
          <LinkButton onClick={() => go({ to: 'forgotPassword' })}>Forgot your password?</LinkButton>
        </li>
        <li>
          <LinkButton onClick={() => go({ to: 'recover' })}>Lost your authenticator?</LinkButton>
        </li>
      </ul>
    </Screen>
  );
}

const REGISTER_FIELDS = ['email', 'fullName', 'phoneNumber'] as const;

export function Register({ go }: { go: Go }) {
  const [register] = useMutation(RegisterDocument);
  const form = useForm('register', REGISTER_FIELDS);
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [phoneNumber, setPhoneNumber] = useState('');
  const submit = form.onSubmit(async () => {
    const since = mailSince();
    await register({
      variables: { input: { email, fullName, ...(phoneNumber ? { phoneNumber } : {}) } },
    });
    go({ to: 'choosePassword', email, since });
  });
  return (
    <Screen title="Create an account">
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <EmailField
          id={form.idOf('email')}
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errors.email}
        />
        <Field
          id={form.idOf('fullName')}
          label="Full name"
          autoComplete="name"
          required
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={form.errors.fullName}
        />
        <Field
          id={form.idOf('phoneNumber')}
          label="Phone number (optional)"
          hint="International format, e.g. +447700900123."
          type="tel"
          autoComplete="tel"
          value={phoneNumber}
          onChange={(e) => setPhoneNumber(e.target.value)}
          error={form.errors.phoneNumber}
        />
        <Submit busy={form.busy}>Create account</Submit>
      </form>
      <p>
        Already have an account? <LinkButton onClick={() => go({ to: 'signIn' })}>Sign in</LinkButton>
      </p>
    </Screen>
  );
}

const PASSWORD_FIELDS = ['email', 'temporaryPassword', 'newPassword'] as const;

export function ChoosePassword({ go, email: invited, since }: { go: Go; email: string; since: number }) {
  const [confirm] = useMutation(ChoosePasswordDocument);
  const [resend] = useMutation(ResendInvitationDocument);
  const form = useForm('password', PASSWORD_FIELDS);
  const [email, setEmail] = useState(invited);
  const [mailedSince, setMailedSince] = useState(since);
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [resent, setResent] = useState('');
  const submit = form.onSubmit(
    async () => {
      const { data } = await confirm({ variables: { input: { email, temporaryPassword, newPassword } } });
      if (data?.confirmUser) go({ to: 'enrol', email, setup: data.confirmUser });
    },
    { NOT_AUTHORIZED: 'temporaryPassword', INVALID_PASSWORD: 'newPassword' },
  );
  const resendInvitation = form.onSubmit(async () => {
    const at = mailSince();
    const { data } = await resend({ variables: { input: { email } } });
    setMailedSince(at);
    setResent(`A new temporary password is on its way to ${data?.resendInvitation?.destination ?? email}.`);
  });
  return (
    <Screen title="Choose your password">
      {invited ? (
        <Notice>
          An invitation with a temporary password is on its way to {invited}. If that address already has an
          account, nothing was sent: sign in instead.
        </Notice>
      ) : null}
      {resent ? <Notice>{resent}</Notice> : null}
      {email ? (
        <MailboxHint
          email={email}
          kind="invitation"
          since={mailedSince}
          what="temporary password"
          onUse={(code) => {
            setTemporaryPassword(code);
            document.getElementById(form.idOf('newPassword'))?.focus();
          }}
        />
      ) : null}
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <EmailField
          id={form.idOf('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errors.email}
        />
        <Field
          id={form.idOf('temporaryPassword')}
          label="Temporary password"
          hint="From the invitation e-mail."
          autoComplete="off"
          spellCheck={false}
          required
          value={temporaryPassword}
          onChange={(e) => setTemporaryPassword(e.target.value)}
          error={form.errors.temporaryPassword}
        />
        <NewPasswordField
          id={form.idOf('newPassword')}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={form.errors.newPassword}
        />
        <Submit busy={form.busy}>Set password</Submit>
      </form>
      {email ? (
        <form onSubmit={resendInvitation}>
          <button type="submit">Send a new temporary password</button>
        </form>
      ) : null}
    </Screen>
  );
}

/** Signing in, and getting back in: forgotten password, lost authenticator. */
import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  CodeDocument,
  ForgotPasswordDocument,
  PasswordDocument,
  RecoverDocument,
  ResetPasswordDocument,
} from '../../generated/graphql';
import { useSession } from '../session';
import { mailSince, type Go } from '../routes';
import {
  CodeField,
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

const digits = (code: string) => code.replace(/\s/g, '');

export function SignIn({
  go,
  email: known = '',
  notice,
}: {
  go: Go;
  email?: string | undefined;
  notice?: string | undefined;
}) {
  const [login] = useMutation(PasswordDocument);
  const form = useForm('sign-in', ['email', 'password'] as const);
  const [email, setEmail] = useState(known);
  const [password, setPassword] = useState('');
  const submit = form.onSubmit(async () => {
    const since = mailSince();
    const { data } = await login({ variables: { input: { email, password } } });
    const answer = data?.login;
    if (!answer) return;
    if (answer.challenge === 'SOFTWARE_TOKEN_MFA') go({ to: 'code', email, session: answer.session });
    // Never finished enrolment: a code went to the address, and only it starts a new enrolment.
    else go({ to: 'verifyEmail', email, session: answer.session, since });
  });
  return (
    <Screen title="Sign in">
      {notice ? <Notice>{notice}</Notice> : null}
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <EmailField
          id={form.idOf('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errors.email}
        />
        <Field
          id={form.idOf('password')}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errors.password}
        />
        <Submit busy={form.busy}>Continue</Submit>
      </form>
      <ul className="more">
        <li>
          <LinkButton onClick={() => go({ to: 'forgotPassword' })}>Forgot your password?</LinkButton>
        </li>
        <li>
          <LinkButton onClick={() => go({ to: 'recover' })}>Lost your authenticator?</LinkButton>
        </li>
        <li>
          <LinkButton onClick={() => go({ to: 'register' })}>Create an account</LinkButton>
        </li>
      </ul>
    </Screen>
  );
}

export function Code({ go, email, session }: { go: Go; email: string; session: string }) {
  const [verify] = useMutation(CodeDocument);
  const { signIn } = useSession();
  const form = useForm('code', ['otp'] as const);
  const [otp, setOtp] = useState('');
  const submit = form.onSubmit(
    async () => {
      const { data } = await verify({ variables: { input: { email, session, otp: digits(otp) } } });
      if (!data?.verifyMfa) return;
      signIn(data.verifyMfa);
      go({ to: 'profile' });
    },
    { CODE_MISMATCH: 'otp' },
  );
  return (
    <Screen title="Enter your authenticator code">
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <CodeField
          id={form.idOf('otp')}
          label="The 6-digit code your authenticator app shows"
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={form.errors.otp}
        />
        <Submit busy={form.busy}>Sign in</Submit>
      </form>
      <ul className="more">
        <li>
          <LinkButton onClick={() => go({ to: 'recover' })}>Lost your authenticator?</LinkButton>
        </li>
        <li>
          <LinkButton onClick={() => go({ to: 'signIn', email })}>Start again</LinkButton>
        </li>
      </ul>
    </Screen>
  );
}

export function ForgotPassword({ go }: { go: Go }) {
  const [forgot] = useMutation(ForgotPasswordDocument);
  const form = useForm('forgot', ['email'] as const);
  const [email, setEmail] = useState('');
  const submit = form.onSubmit(async () => {
    const since = mailSince();
    await forgot({ variables: { input: { email } } });
    go({ to: 'resetPassword', email, since });
  });
  return (
    <Screen title="Forgot your password?">
      <p>We will e-mail you a code to choose a new one.</p>
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <EmailField
          id={form.idOf('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errors.email}
        />
        <Submit busy={form.busy}>Send the code</Submit>
      </form>
      <p>
        <LinkButton onClick={() => go({ to: 'signIn' })}>Back to sign-in</LinkButton>
      </p>
    </Screen>
  );
}

const RESET_FIELDS = ['code', 'newPassword'] as const;

export function ResetPassword({ go, email, since }: { go: Go; email: string; since: number }) {
  const [reset] = useMutation(ResetPasswordDocument);
  const form = useForm('reset', RESET_FIELDS);
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const submit = form.onSubmit(
    async () => {
      await reset({ variables: { input: { email, code: digits(code), newPassword } } });
      go({
        to: 'signIn',
        email,
        notice: 'Your password was changed and every session signed out. Sign in with the new one.',
      });
    },
    { CODE_MISMATCH: 'code', INVALID_PASSWORD: 'newPassword' },
  );
  return (
    <Screen title="Choose a new password">
      <Notice>If {email} has an account, a code is on its way to it.</Notice>
      <MailboxHint
        email={email}
        kind="password-reset"
        since={since}
        what="reset code"
        onUse={(found) => {
          setCode(found);
          document.getElementById(form.idOf('newPassword'))?.focus();
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
        <NewPasswordField
          id={form.idOf('newPassword')}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={form.errors.newPassword}
        />
        <Submit busy={form.busy}>Change password</Submit>
      </form>
    </Screen>
  );
}

const RECOVER_FIELDS = ['email', 'password', 'recoveryCode'] as const;

export function Recover({ go }: { go: Go }) {
  const [recover] = useMutation(RecoverDocument);
  const form = useForm('recover', RECOVER_FIELDS);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const submit = form.onSubmit(async () => {
    const { data } = await recover({
      variables: { input: { email, password, recoveryCode: recoveryCode.trim() } },
    });
    if (data?.recoverMfa) go({ to: 'enrol', email, setup: data.recoverMfa, again: true });
  });
  return (
    <Screen title="Lost your authenticator?">
      <p>
        Use one of the recovery codes you saved when you set up your authenticator. It works once, signs out
        every session of your account, and lets you set up a new authenticator.
      </p>
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <EmailField
          id={form.idOf('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errors.email}
        />
        <Field
          id={form.idOf('password')}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errors.password}
        />
        <Field
          id={form.idOf('recoveryCode')}
          label="Recovery code"
          autoComplete="off"
          spellCheck={false}
          required
          value={recoveryCode}
          onChange={(e) => setRecoveryCode(e.target.value)}
          error={form.errors.recoveryCode}
        />
        <Submit busy={form.busy}>Set up a new authenticator</Submit>
      </form>
      <p>
        <LinkButton onClick={() => go({ to: 'signIn' })}>Back to sign-in</LinkButton>
      </p>
    </Screen>
  );
}

/** Signed in: the profile from userinfo, data export, password change, sign-out and deletion. */
import { useState } from 'react';
import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  DeleteAccountDocument,
  ExportDataDocument,
  NewPasswordDocument,
  ProfileDocument,
  SignOutEverywhereDocument,
} from '../../generated/graphql';
import { authErrorOf } from '../../../apollo-link';
import { UNREACHABLE } from '../errors';
import { useSession } from '../session';
import type { Go } from '../routes';
import {
  CodeField,
  download,
  Field,
  FormError,
  LinkButton,
  Notice,
  NewPasswordField,
  Screen,
  Submit,
  useForm,
} from '../ui';

export function Profile({ go, notice }: { go: Go; notice?: string | undefined }) {
  const session = useSession();
  // Always asked of the API: userinfo reads Cognito with this token, so a revoked one shows at once.
  const { data, error, loading } = useQuery(ProfileDocument, { fetchPolicy: 'network-only' });
  const [exportData] = useLazyQuery(ExportDataDocument, { fetchPolicy: 'no-cache' });
  const [logout] = useMutation(SignOutEverywhereDocument);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const me = data?.userinfo;

  const downloadData = async () => {
    setStatus('');
    try {
      const { data: exported } = await exportData();
      if (!exported?.exportMyData) throw new Error('no data');
      // AWSJSON arrives as a string: saved indented, for people to read.
      download(
        'my-data.json',
        'application/json',
        `${JSON.stringify(JSON.parse(exported.exportMyData), null, 2)}\n`,
      );
      setStatus('Your data was saved as my-data.json.');
    } catch (failure) {
      setStatus(authErrorOf(failure)?.message ?? UNREACHABLE);
    }
  };

  const signOut = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await logout();
      await session.signOut();
      go({ to: 'signIn', email: me?.email, notice: 'You are signed out, on every device.' });
    } catch (failure) {
      setStatus(authErrorOf(failure)?.message ?? UNREACHABLE);
      setBusy(false);
    }
  };

  return (
    <Screen title="Your account">
      {notice ? <Notice>{notice}</Notice> : null}
      {loading ? <p>Loading your account…</p> : null}
      {error ? (
        <div className="form-error" role="alert">
          {authErrorOf(error)?.message ?? UNREACHABLE}{' '}
          <LinkButton onClick={() => void session.signOut().then(() => go({ to: 'signIn' }))}>
            Sign in again
          </LinkButton>
        </div>
      ) : null}
      {me ? (
        <dl className="profile">
          <dt>Name</dt>
          <dd>{me.fullName ?? '—'}</dd>
          <dt>E-mail address</dt>
          <dd>{me.email}</dd>
          <dt>Phone number</dt>
          <dd>{me.phoneNumber ?? '—'}</dd>
          <dt>Groups</dt>
          <dd>{me.groups.length > 0 ? me.groups.join(', ') : 'none'}</dd>
          <dt>Authenticator</dt>
          <dd>{me.mfaEnabled ? 'On' : 'Off'}</dd>
          <dt>User id</dt>
          <dd>
            <code>{me.userId}</code>
          </dd>
        </dl>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => go({ to: 'changePassword' })}>
          Change password
        </button>
        <button type="button" onClick={() => void downloadData()}>
          Download my data
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void signOut()}
          aria-disabled={busy || undefined}
        >
          Sign out
        </button>
      </div>
      <p className="status" role="status">
        {status}
      </p>
      <h2>Delete your account</h2>
      <p>This deletes the account and everything the API stored for it. It cannot be undone.</p>
      <button type="button" className="danger" onClick={() => go({ to: 'deleteAccount' })}>
        Delete my account…
      </button>
    </Screen>
  );
}

const CHANGE_FIELDS = ['oldPassword', 'newPassword', 'otp'] as const;

export function ChangePassword({ go }: { go: Go }) {
  const [change] = useMutation(NewPasswordDocument);
  const session = useSession();
  const form = useForm('change', CHANGE_FIELDS);
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [otp, setOtp] = useState('');
  const submit = form.onSubmit(
    async () => {
      try {
        const { data } = await change({
          variables: { input: { oldPassword, newPassword, otp: otp.replace(/\s/g, '') } },
        });
        if (!data?.changePassword) return;
        // Every session ended, this one too; the answer is the one sign-in left.
        session.signIn(data.changePassword.tokens);
        go({ to: 'profile', notice: 'Your password was changed, and every other session signed out.' });
      } catch (failure) {
        const refusal = authErrorOf(failure);
        // A wrong code here comes after the change: the password is new and every session has ended.
        if (refusal?.type !== 'CODE_MISMATCH') throw failure;
        await session.signOut();
        go({ to: 'signIn', notice: refusal.message });
      }
    },
    { NOT_AUTHORIZED: 'oldPassword', INVALID_PASSWORD: 'newPassword' },
  );
  return (
    <Screen title="Change your password">
      <p>Every session of your account is signed out; this one continues with the new password.</p>
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <Field
          id={form.idOf('oldPassword')}
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={oldPassword}
          onChange={(e) => setOldPassword(e.target.value)}
          error={form.errors.oldPassword}
        />
        <NewPasswordField
          id={form.idOf('newPassword')}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={form.errors.newPassword}
        />
        <CodeField
          id={form.idOf('otp')}
          label="A current code from your authenticator app"
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={form.errors.otp}
        />
        <Submit busy={form.busy}>Change password</Submit>
      </form>
      <p>
        <LinkButton onClick={() => go({ to: 'profile' })}>Back to your account</LinkButton>
      </p>
    </Screen>
  );
}

export function DeleteAccount({ go }: { go: Go }) {
  const { data } = useQuery(ProfileDocument);
  const [deleteMe] = useMutation(DeleteAccountDocument);
  const session = useSession();
  const form = useForm('delete', ['confirmation'] as const);
  const [confirmation, setConfirmation] = useState('');
  const email = data?.userinfo?.email ?? '';
  const submit = form.onSubmit(async () => {
    if (!email || confirmation.trim().toLowerCase() !== email.toLowerCase()) {
      form.setErrors({ confirmation: `Type ${email || 'your e-mail address'} to confirm.` });
      return;
    }
    const { data: answer } = await deleteMe();
    if (!answer?.deleteMe?.deleted) {
      form.setErrors({ form: UNREACHABLE });
      return;
    }
    await session.signOut();
    go({ to: 'start', notice: 'Your account and everything stored for it were deleted.' });
  });
  return (
    <Screen title="Delete your account">
      <p>
        This deletes your account, its authenticator and recovery codes, and everything else the API stored
        for it. You will not be able to sign in again with {email || 'this address'}.
      </p>
      <form onSubmit={submit}>
        <FormError message={form.errors.form} />
        <Field
          id={form.idOf('confirmation')}
          label="Type your e-mail address to confirm"
          type="email"
          autoComplete="off"
          required
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
          error={form.errors.confirmation}
        />
        <div className="actions">
          <button type="submit" className="danger" aria-disabled={form.busy || undefined}>
            {form.busy ? 'Deleting…' : 'Delete my account for good'}
          </button>
          <button type="button" onClick={() => go({ to: 'profile' })}>
            Cancel
          </button>
        </div>
      </form>
    </Screen>
  );
}

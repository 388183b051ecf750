/** The few pieces every screen shares: a focused heading, labelled fields, errors beside them. */
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react';
import type { ErrorType } from '../../../schema/errors';
import type { PasswordPolicy } from '../../../functions/domain/password-policy';
import { NIST_PASSWORD_POLICY } from '../../../infra/settings';
import { formErrorsOf, type FormErrors } from './errors';
import { newestCode, type MailKind } from './mailbox';
import type { Outputs } from './outputs';

export const OutputsContext = createContext<Outputs | undefined>(undefined);

export function useOutputs(): Outputs {
  const outputs = useContext(OutputsContext);
  if (!outputs) throw new Error('useOutputs outside OutputsContext');
  return outputs;
}

/** A screen: its heading takes the focus when it appears, so keyboard and screen-reader users start there. */
export function Screen({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
};

export function Field({ id, label, hint, error, ...input }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The account's e-mail address, as every form that names an account asks for it. */
export function EmailField(props: Omit<FieldProps, 'label' | 'type'>) {
  return <Field label="E-mail address" type="email" autoComplete="username" required {...props} />;
}

/** A six-digit code from the authenticator app or an e-mail. */
export function CodeField(props: Omit<FieldProps, 'inputMode' | 'autoComplete'>) {
  return (
    <Field
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      required
      spellCheck={false}
      {...props}
    />
  );
}

/**
 * The policy the password is checked against as it is typed. The API checks it again; the default
 * is the local and deployed default (NIST SP 800-63B-4), and the API's message says what a pool with
 * another policy asks.
 */
export function PolicyChecklist({
  value,
  policy = NIST_PASSWORD_POLICY,
}: {
  value: string;
  policy?: PasswordPolicy;
}) {
  const length = [...value].length;
  const rules: [string, boolean][] = [
    [
      `At least ${policy.minLength} characters (${length} so far); a passphrase is welcome`,
      length >= policy.minLength,
    ],
  ];
  if (policy.requireLowercase) rules.push(['A lowercase letter', /\p{Ll}/u.test(value)]);
  if (policy.requireUppercase) rules.push(['An uppercase letter', /\p{Lu}/u.test(value)]);
  if (policy.requireDigits) rules.push(['A digit', /\d/.test(value)]);
  if (policy.requireSymbols) rules.push(['A symbol', /[^\p{L}\p{N}]/u.test(value)]);
  return (
    <ul className="policy">
      {rules.map(([rule, met]) => (
        <li key={rule} className={met ? 'met' : undefined}>
          <span aria-hidden="true">{met ? '✓' : '○'}</span> {rule}
          <span className="visually-hidden">{met ? ': met' : ': not yet'}</span>
        </li>
      ))}
    </ul>
  );
}

/** A new password, with the policy checklist under it as it is typed. */
export function NewPasswordField(props: Omit<FieldProps, 'label' | 'type' | 'hint'> & { value: string }) {
  return (
    <Field
      label="New password"
      type="password"
      autoComplete="new-password"
      required
      hint={<PolicyChecklist value={props.value} />}
      {...props}
    />
  );
}

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert" tabIndex={-1} id="form-error">
      {message}
    </div>
  );
}

/**
 * A form's submit and errors: the API's refusal goes beside the field it concerns, and the focus
 * moves to the first field in error (or to the form's message), so nobody has to hunt for it.
 */
export function useForm<F extends string>(formId: string, fields: readonly F[]) {
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const [busy, setBusy] = useState(false);
  const idOf = (field: F) => `${formId}-${field}`;

  useEffect(() => {
    const first = fields.find((f) => errors[f]);
    document.getElementById(first ? idOf(first) : errors.form ? 'form-error' : '')?.focus();
    // Only a new set of errors moves the focus.
  }, [errors]);

  const onSubmit =
    (run: () => Promise<void>, byType: Partial<Record<ErrorType, F>> = {}) =>
    async (event: FormEvent) => {
      event.preventDefault();
      if (busy) return;
      setBusy(true);
      setErrors({});
      try {
        await run();
      } catch (error) {
        setErrors(formErrorsOf(error, fields, byType));
      } finally {
        setBusy(false);
      }
    };

  return { errors, setErrors, busy, idOf, onSubmit };
}

export function Submit({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="primary" aria-disabled={busy || undefined}>
      {busy ? 'Working…' : children}
    </button>
  );
}

/**
 * Locally, the message Cognito would have e-mailed is in the local mailbox: show its code, with a
 * link to the mailbox page. Against a deployed environment there is no mailbox and nothing shows.
 */
export function MailboxHint({
  email,
  kind,
  since,
  what,
  onUse,
}: {
  email: string;
  kind: MailKind;
  since: number;
  what: string;
  onUse: (code: string) => void;
}) {
  const { mailboxUrl } = useOutputs();
  const [code, setCode] = useState<string>();
  useEffect(() => {
    if (!mailboxUrl || !email) return;
    let stopped = false;
    setCode(undefined);
    // The message arrives as the API answers; a few polls cover a slow start.
    const poll = async (tries: number) => {
      const found = await newestCode(email, kind, since).catch(() => undefined);
      if (stopped) return;
      if (found) setCode(found);
      else if (tries > 0) setTimeout(() => void poll(tries - 1), 1000);
    };
    void poll(20);
    return () => {
      stopped = true;
    };
  }, [mailboxUrl, email, kind, since]);
  if (!mailboxUrl) return null;
  const link = `${mailboxUrl}?to=${encodeURIComponent(email)}`;
  return (
    <aside className="mailbox" aria-label="Local mailbox">
      {code ? (
        <p>
          Running locally, so no e-mail was sent: the local mailbox has your {what}{' '}
          <code className="mail-code">{code}</code>{' '}
          <button type="button" onClick={() => onUse(code)}>
            Use this code
          </button>
        </p>
      ) : (
        <p>Running locally: waiting for the message in the local mailbox…</p>
      )}
      <p>
        <a href={link} target="_blank" rel="noreferrer">
          Open the local mailbox
        </a>
      </p>
    </aside>
  );
}

/** Copies text, saying so in a status line that screen readers announce. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [status, setStatus] = useState('');
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setStatus('Copied.'),
            () => setStatus('Copying failed: select the text and copy it.'),
          )
        }
      >
        {label}
      </button>
      <span className="status" role="status">
        {status}
      </span>
    </>
  );
}

/** Saves text as a file the browser downloads. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A button that moves to another screen. */
export function LinkButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link" onClick={onClick}>
      {children}
    </button>
  );
}

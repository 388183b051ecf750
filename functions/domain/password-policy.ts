/** The pool's password policy, as the functions describe it to people. */
export interface PasswordPolicy {
  readonly minLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireDigits: boolean;
  readonly requireSymbols: boolean;
}

/** Cognito's limit on any password. */
export const MAX_PASSWORD_LENGTH = 256;

export function describePolicy(policy: PasswordPolicy): string {
  const kinds = [
    policy.requireLowercase && 'a lowercase letter',
    policy.requireUppercase && 'an uppercase letter',
    policy.requireDigits && 'a digit',
    policy.requireSymbols && 'a symbol',
  ].filter(Boolean) as string[];
  const length = `at least ${policy.minLength} characters (up to ${MAX_PASSWORD_LENGTH}; a passphrase is welcome)`;
  return kinds.length === 0
    ? `The new password must have ${length}.`
    : `The new password must have ${length}, including ${kinds.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`;
}

/** Checked before Cognito is called, so a weak password does not spend the user's challenge. */
export function meetsPolicy(password: string, policy: PasswordPolicy): boolean {
  return (
    [...password].length >= policy.minLength &&
    (!policy.requireLowercase || /\p{Ll}/u.test(password)) &&
    (!policy.requireUppercase || /\p{Lu}/u.test(password)) &&
    (!policy.requireDigits || /\d/.test(password)) &&
    (!policy.requireSymbols || /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password))
  );
}

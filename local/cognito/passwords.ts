/**
 * The pool's password policy, applied wherever a password is set (temporary passwords, new passwords,
 * changes and resets), with the messages Cognito uses; and temporary passwords that satisfy it.
 */
import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '../../infra/settings';
import { cognitoError } from './errors';

/** Cognito's special characters (the space counts too when it is not leading or trailing). */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';
/** Cognito accepts passwords up to 256 characters whatever the policy's minimum. */
const MAX_LENGTH = 256;

/** Throws InvalidPasswordException (or InvalidParameterException for API limits) as Cognito does. */
export function assertPasswordMeetsPolicy(
  policy: PasswordPolicy,
  password: unknown,
): asserts password is string {
  if (typeof password !== 'string' || password.length === 0) {
    throw cognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
  }
  if (password.length > MAX_LENGTH) {
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to ${MAX_LENGTH}`,
    );
  }
  if (/^\s|\s$/.test(password)) {
    throw cognitoError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
    );
  }
  const broken = policyViolation(policy, password);
  if (broken)
    throw cognitoError('InvalidPasswordException', `Password does not conform to policy: ${broken}`);
}

function policyViolation(policy: PasswordPolicy, password: string): string | undefined {
  // Length counts characters as people see them, so a passphrase in any script counts fairly.
  if ([...password].length < policy.minLength) return 'Password not long enough';
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.requireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.requireDigits && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.requireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) {
    return 'Password must have symbol characters';
  }
  return undefined;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
/** Symbols that survive copy and paste from an e-mail (no quotes, backslash or space). */
const SAFE_SYMBOLS = '!#%*+-=?@^_~';

/**
 * A random temporary password that satisfies the policy, like the ones Cognito e-mails: one character
 * of every required class, the rest random, shuffled. Ambiguous characters (0/O, 1/l/I) are left out
 * because people type these from an e-mail.
 */
export function generateTemporaryPassword(policy: PasswordPolicy): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)] as string;
  const length = Math.max(policy.minLength, 12);
  const chars: string[] = [];
  if (policy.requireUppercase) chars.push(pick(UPPER));
  if (policy.requireLowercase) chars.push(pick(LOWER));
  if (policy.requireDigits) chars.push(pick(DIGITS));
  if (policy.requireSymbols) chars.push(pick(SAFE_SYMBOLS));
  const all = UPPER + LOWER + DIGITS;
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

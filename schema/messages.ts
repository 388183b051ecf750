/**
 * Every sentence the API answers with, in one table: what a person reads beside the catalogue type
 * (schema/errors.ts). Functions and resolvers import it, so a wording is changed once. Where the
 * answer could tell whether an account exists, one sentence covers every case, whoever asks.
 */
export const MESSAGES = {
  // Any operation.
  badInput: 'The input is not valid.',
  tooManyRequests: 'Too many attempts. Wait a moment and try again.',
  /** Said for an unknown e-mail too: the bound counts addresses, not accounts. */
  guessesExceeded:
    'Too many failed attempts for this account. Wait and try again later: 15 minutes for passwords ' +
    'and authenticator codes, an hour for recovery and reset codes.',
  /** Followed by ` Request id: <id>`, the one thing a person can quote to the operator. */
  internal: 'Something went wrong on our side.',
  invalidToken: 'The token is not valid. Sign in again.',
  accessTokenRequired: 'Sign in again: this operation needs a valid access token.',
  codeMismatch: 'The code is not correct. Check the time on the device and try the current code.',
  sessionExpired: 'This sign-in step expired or was already completed. Start again.',
  /** When no policy is at hand to describe (describePolicy writes the sentence otherwise). */
  weakPassword: 'The new password does not meet the password policy.',

  // Invitations.
  invitationNotSent: 'The invitation could not be sent. Try again later.',

  // Enrolment and sign-in: wrong credentials and unknown accounts alike.
  confirmUserRefused: 'Incorrect e-mail or temporary password.',
  loginRefused: 'Incorrect e-mail or password.',
  enrolmentRefused: 'Enrolment could not be completed. Start again.',
  refreshRefused: 'The refresh token is not valid. Sign in again.',
  recoverMfaRefused: 'Incorrect e-mail, password or recovery code.',
  /** Said only to someone who gave the right temporary password, so it reveals nothing to a stranger. */
  notConfirmedYet: 'This account is not confirmed yet: use confirmUser with the temporary password.',
  /** Said only to someone who gave the right password, so it reveals nothing to a stranger. */
  authenticatorSuspended:
    "This account's authenticator is not active. Use recoverMfa with a recovery code to set up a new one.",

  // Passwords.
  changePasswordRefused: 'The current password is not correct, or this sign-in has ended. Sign in again.',
  /** The password did change and every session ended; only the fresh sign-in failed. */
  passwordChangedSignInAgain:
    'The password was changed and every session signed out, but the authenticator code was not ' +
    'accepted. Sign in again with the new password.',
  /**
   * One answer for a wrong code, an expired or used one, no code requested, an unknown e-mail and
   * Cognito's per-account attempt limit: each of those told apart would say whether the account exists.
   */
  resetCodeRefused:
    'The code is not correct or no longer valid. Use the newest code sent to the e-mail address, or ' +
    'ask for a new one with forgotPassword; after many attempts, wait an hour.',

  // Administrators.
  adminOnly: 'This operation is for administrators.',
  adminSessionInvalid: 'Sign in again: the administrator session is not valid.',
  adminDeleteSelf: 'Administrators delete their own account with deleteMe, not adminDeleteUser.',
} as const;

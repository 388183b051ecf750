/**
 * Cognito's exceptions, as the AWS SDK reads them off the wire: HTTP 400, `x-amzn-errortype` and a JSON
 * body `{ "__type", "message" }`. cognito-local's server already turns a `CognitoError` into that 400
 * body (the header is added in index.ts); anything else becomes Cognito's 500 InternalErrorException.
 */
import { CognitoError } from 'cognito-local/lib/errors';

/** The exception names this layer raises; a misspelt name does not compile. */
export type CognitoExceptionName =
  | 'CodeMismatchException'
  | 'EnableSoftwareTokenMFAException'
  | 'ExpiredCodeException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'LimitExceededException'
  | 'NotAuthorizedException'
  | 'PasswordResetRequiredException'
  | 'RefreshTokenReuseException'
  | 'ResourceNotFoundException'
  | 'SoftwareTokenMFANotFoundException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UnauthorizedException'
  | 'UnsupportedUserStateException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException';

export function cognitoError(name: CognitoExceptionName, message: string): CognitoError {
  return new CognitoError(name, message);
}

/** A required request parameter left out or empty. */
export function missing(name: string): never {
  throw cognitoError('InvalidParameterException', `Missing required parameter ${name}`);
}

export function isCognitoError(error: unknown): error is CognitoError {
  return error instanceof CognitoError;
}

/**
 * Thrown for bugs and surprises. cognito-local's server answers a non-Cognito error with
 * `res.status(500).json(error)`, so the wire body is whatever toJSON returns: the cause stays in the log.
 */
export class InternalError extends Error {
  toJSON() {
    return { __type: 'InternalErrorException', message: 'An internal error occurred.' };
  }
}

/** Messages real Cognito uses, in one place so handlers and tests agree on them. */
export const MESSAGES = {
  incorrectCredentials: 'Incorrect username or password.',
  unauthorizedAttribute: 'A client attempted to write unauthorized attribute',
  userDisabled: 'User is disabled.',
  userDoesNotExist: 'User does not exist.',
  invalidSession: 'Invalid session for the user.',
  expiredSession: 'Invalid session for the user, session is expired.',
  temporaryPasswordExpired: 'Temporary password has expired and must be reset by an administrator.',
  invalidAccessToken: 'Invalid Access Token',
  expiredAccessToken: 'Access Token has expired',
  revokedAccessToken: 'Access Token has been revoked',
  invalidRefreshToken: 'Invalid Refresh Token',
  expiredRefreshToken: 'Refresh Token has expired',
  revokedRefreshToken: 'Refresh Token has been revoked',
  /** Local choice: AWS documents the exception, not its message. */
  refreshTokenReused: 'Refresh Token has already been used',
  totpMismatch: 'Invalid code received for user',
  totpReused: 'Your software token has already been used once.',
  totpSetupMismatch: 'Code mismatch and fail enable Software Token MFA',
  verificationCodeMismatch: 'Invalid verification code provided, please try again.',
  verificationCodeExpired: 'Invalid code provided, please request a code again.',
  attemptLimitExceeded: 'Attempt limit exceeded, please try after some time.',
  cannotResetInThisState: 'User password cannot be reset in the current state.',
  passwordResetRequired: 'Password reset required for the user',
  userNotConfirmed: 'User is not confirmed.',
} as const;

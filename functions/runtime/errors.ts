/**
 * Failures of an operation, in the API's catalogue, and the one mapper from AWS exceptions to it.
 * The cause of a failure is logged (by name, never its text, which can echo input); only the
 * catalogue type and a message written for people reach the client.
 */
import type { ApiError, ErrorType } from '../../schema/errors';
import { MESSAGES } from '../../schema/messages';
import { describePolicy, type PasswordPolicy } from '../domain/password-policy';

export class ApiFailure extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly info?: Readonly<Record<string, unknown>>,
    /** The name of the AWS exception behind it, for the log (never its text); not sent to clients. */
    readonly causeName?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  toApiError(): ApiError {
    return this.info
      ? { type: this.type, message: this.message, info: this.info }
      : { type: this.type, message: this.message };
  }
}

export const fail = (type: ErrorType, message: string, info?: Record<string, unknown>): ApiFailure =>
  new ApiFailure(type, message, info);

/** What an operation says when Cognito refuses the credentials: one message, whoever asks. */
export interface FailureContext {
  /** Message for wrong credentials and unknown users alike (no enumeration). */
  readonly notAuthorized: string;
  readonly policy?: PasswordPolicy;
}

const name = (error: unknown): string =>
  error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : 'Error';

const text = (error: unknown): string =>
  error && typeof error === 'object' && 'message' in error
    ? String((error as { message: unknown }).message)
    : '';

/**
 * Cognito's and S3's exceptions, in the catalogue. Unknown exceptions become undefined: the caller
 * reports them as INTERNAL with a request id.
 */
export function mapAwsError(error: unknown, context: FailureContext): ApiFailure | undefined {
  if (error instanceof ApiFailure) return error;
  const mapped = catalogueFailure(error, context);
  return mapped && new ApiFailure(mapped.type, mapped.message, mapped.info, name(error));
}

function catalogueFailure(error: unknown, context: FailureContext): ApiFailure | undefined {
  switch (name(error)) {
    case 'NotAuthorizedException':
      // Cognito signals dead challenge sessions with NotAuthorized too; those are "start again", not
      // "wrong password". Only the session wording is inspected, never echoed.
      return /session/i.test(text(error))
        ? fail('SESSION_EXPIRED', MESSAGES.sessionExpired)
        : fail('NOT_AUTHORIZED', context.notAuthorized);
    case 'UserNotFoundException':
    case 'UserNotConfirmedException':
    case 'PasswordResetRequiredException':
      // Same answer as a wrong password: these would tell a stranger the account exists.
      return fail('NOT_AUTHORIZED', context.notAuthorized);
    case 'RefreshTokenReuseException':
      // Rotation is on and this refresh token was already exchanged: sign in again.
      return fail('NOT_AUTHORIZED', context.notAuthorized);
    case 'InvalidPasswordException':
      return context.policy
        ? fail('INVALID_PASSWORD', describePolicy(context.policy), { policy: context.policy })
        : fail('INVALID_PASSWORD', MESSAGES.weakPassword);
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return fail('CODE_MISMATCH', MESSAGES.codeMismatch);
    case 'ExpiredCodeException':
    case 'SoftwareTokenMFANotFoundException':
      // Also "no software token waits for verification": the enrolment it belonged to is over.
      return fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
    case 'LimitExceededException':
    case 'SlowDown':
    case 'ThrottlingException':
      return fail('TOO_MANY_REQUESTS', MESSAGES.tooManyRequests);
    case 'InvalidParameterException':
      return fail('BAD_USER_INPUT', MESSAGES.badInput);
    default:
      return undefined;
  }
}

export const errorName = name;

/**
 * The one way the domain calls AWS: runs the call and turns Cognito's and S3's exceptions into the
 * catalogue, with the exception's name kept as the failure's cause; unknown ones pass through to the
 * INTERNAL path.
 */
export async function awsCall<T>(context: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw mapAwsError(error, context) ?? error;
  }
}

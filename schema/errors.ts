/**
 * The error catalogue of the API: the only `errorType` values a resolver may put on an error.
 * Functions, resolvers, tests and clients import it from here, so a misspelt code does not compile.
 */
export const ERROR_TYPES = [
  'BAD_USER_INPUT',
  'NOT_AUTHORIZED',
  'INVALID_PASSWORD',
  'CODE_MISMATCH',
  'SESSION_EXPIRED',
  'TOO_MANY_REQUESTS',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

/** What a function returns instead of data when the operation fails. */
export interface ApiError {
  readonly type: ErrorType;
  /** Written for people; never raw AWS text, stack traces or secrets. */
  readonly message: string;
  /** Optional structured detail, e.g. the password policy or a request id. */
  readonly info?: Readonly<Record<string, unknown>>;
}

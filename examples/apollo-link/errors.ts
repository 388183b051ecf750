/**
 * The API's refusals as one typed value. `type` is the closed catalogue of schema/errors.ts, so
 * `error.type === 'CODE_MISMATCH'` is checked by the compiler and a misspelt code does not compile.
 */
import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { ERROR_TYPES, type ErrorType } from '../../schema/errors';

export { ERROR_TYPES, type ErrorType };

/**
 * Who refused: the API's own functions (a catalogue `errorType`), AppSync before any function ran
 * (its `Unauthorized` and `UnauthorizedException`, reported as NOT_AUTHORIZED), or this link, which
 * sent nothing (no session, or the session just ended).
 */
export type ErrorOrigin = 'api' | 'appsync' | 'link';

export class AuthApiError extends Error {
  override readonly name = 'AuthApiError';
  readonly type: ErrorType;
  /** The root field refused, e.g. `verifyMfa`. */
  readonly field?: string;
  /** AppSync's `errorInfo`, e.g. the password policy or a request id. */
  readonly info?: unknown;
  readonly origin: ErrorOrigin;
  /** AppSync's own `errorType` when it was not a catalogue one (e.g. `UnauthorizedException`). */
  readonly appSyncType?: string;

  constructor(
    type: ErrorType,
    message: string,
    details: { field?: string; info?: unknown; origin?: ErrorOrigin; appSyncType?: string } = {},
  ) {
    super(message);
    this.type = type;
    this.origin = details.origin ?? 'api';
    if (details.field !== undefined) this.field = details.field;
    if (details.info !== undefined && details.info !== null) this.info = details.info;
    if (details.appSyncType !== undefined) this.appSyncType = details.appSyncType;
  }

  is(type: ErrorType): boolean {
    return this.type === type;
  }
}

const CATALOGUE: ReadonlySet<string> = new Set(ERROR_TYPES);
const isErrorType = (value: unknown): value is ErrorType => typeof value === 'string' && CATALOGUE.has(value);

/** AppSync's refusals of a credential: per field (`Unauthorized`) and per request (HTTP 401). */
const APPSYNC_UNAUTHORIZED: ReadonlySet<string> = new Set(['Unauthorized', 'UnauthorizedException']);

/** One AppSync error entry (`errorType` and `errorInfo` sit beside `message`, not in `extensions`). */
interface AppSyncErrorEntry {
  message?: unknown;
  errorType?: unknown;
  errorInfo?: unknown;
  path?: unknown;
}

function fromEntry(entry: AppSyncErrorEntry): AuthApiError | undefined {
  const message = typeof entry.message === 'string' ? entry.message : 'The API refused the request.';
  const first = Array.isArray(entry.path) ? (entry.path as unknown[])[0] : undefined;
  const field = typeof first === 'string' ? { field: first } : {};
  if (isErrorType(entry.errorType)) {
    return new AuthApiError(entry.errorType, message, { ...field, info: entry.errorInfo, origin: 'api' });
  }
  if (typeof entry.errorType === 'string' && APPSYNC_UNAUTHORIZED.has(entry.errorType)) {
    return new AuthApiError('NOT_AUTHORIZED', message, {
      ...field,
      origin: 'appsync',
      appSyncType: entry.errorType,
    });
  }
  return undefined;
}

/** The error entries of AppSync's request-level answer (an HTTP 401 or 400 with `{ errors }`). */
export function entriesOfServerError(error: ServerError): AppSyncErrorEntry[] {
  try {
    const body = JSON.parse(error.bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as AppSyncErrorEntry[]) : [];
  } catch {
    return [];
  }
}

/**
 * The API's refusal inside an Apollo error, or `undefined` when the error is something else (the
 * network, a document the schema refuses): from `CombinedGraphQLErrors` (catalogue errors and
 * AppSync's per-field `Unauthorized`), from AppSync's HTTP 401, and this link's own refusals.
 */
export function authErrorOf(error: unknown): AuthApiError | undefined {
  if (error instanceof AuthApiError) return error;
  let entries: readonly AppSyncErrorEntry[] = [];
  if (CombinedGraphQLErrors.is(error)) entries = error.errors as readonly AppSyncErrorEntry[];
  else if (ServerError.is(error)) entries = entriesOfServerError(error);
  for (const entry of entries) {
    const found = fromEntry(entry);
    if (found) return found;
  }
  return undefined;
}

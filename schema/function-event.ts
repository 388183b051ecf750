/**
 * The wire contract between the AppSync resolvers (resolvers/) and the Lambda functions (functions/).
 * Resolvers build a FunctionEvent; functions answer a FunctionResult. Types only: resolvers import
 * them with `import type`, so nothing of the functions is bundled into a resolver.
 */
import type { ApiError } from './errors';

/** The caller as AppSync authenticated it (Cognito fields only). */
export interface CallerIdentity {
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export interface FunctionEvent<TArguments = Record<string, unknown>> {
  /** The field's arguments as AppSync validated them (`{ input: {...} }`). */
  readonly arguments: TArguments;
  /** Null on API-key fields. */
  readonly identity: CallerIdentity | null;
  /** The caller's Cognito access token, on Cognito fields, for the token-bound Cognito calls. */
  readonly accessToken?: string;
  /** Correlation id the resolver generated; logs carry it and INTERNAL errors show it. */
  readonly requestId: string;
}

export type FunctionResult<TData> = { readonly data: TData } | { readonly error: ApiError };

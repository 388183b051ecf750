/**
 * Shared by every resolver (esbuild inlines it into each bundle): shape the Lambda event, and turn
 * the function's answer into data or a catalogue error. APPSYNC_JS rules apply here: no try, throw,
 * classes or async.
 */
import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { FunctionEvent, FunctionResult } from '../../functions/shared/contract';
import type { ApiError } from '../../schema/errors';

type Stash = { requestId: string };

function event(ctx: Context, extra: Partial<FunctionEvent>): LambdaRequest {
  const requestId = util.autoId();
  ctx.stash.requestId = requestId;
  const payload: FunctionEvent = {
    field: `${ctx.info.parentTypeName}.${ctx.info.fieldName}`,
    arguments: ctx.arguments,
    identity: null,
    requestId,
    ...extra,
  };
  return { operation: 'Invoke', payload };
}

/** API-key fields: the function gets the arguments and no identity. */
export function invokePublic(ctx: Context): LambdaRequest {
  return event(ctx, {});
}

/**
 * Cognito fields: only access tokens may act on an account (an ID token is for the client to read,
 * not a credential), and the function receives the token for Cognito's token-bound calls.
 */
export function invokeAsCaller(ctx: Context): LambdaRequest {
  const identity = ctx.identity as {
    sub?: string;
    username?: string;
    groups?: string[] | null;
    claims?: { token_use?: string };
  } | null;
  if (!identity || !identity.claims || identity.claims.token_use !== 'access') {
    util.error('Sign in again: this operation needs a valid access token.', 'NOT_AUTHORIZED');
  }
  const header = ctx.request.headers.authorization ?? '';
  const accessToken = header.startsWith('Bearer ') ? header.slice(7) : header;
  return event(ctx, {
    identity: { sub: identity.sub ?? '', username: identity.username ?? '', groups: identity.groups ?? [] },
    accessToken,
  });
}

/**
 * Every field: data on success; a catalogue error from the function; and for a function that crashed
 * (AppSync's Lambda:Unhandled) a generic INTERNAL error with the request id, never the crash text.
 */
export function answer(ctx: Context<unknown, Stash>): unknown {
  const requestId = ctx.stash.requestId;
  if (ctx.error) {
    util.error(`Something went wrong on our side. Request id: ${requestId}`, 'INTERNAL', null, { requestId });
  }
  const result = ctx.result as FunctionResult<unknown> & { data?: unknown; error?: ApiError };
  if (result.error) {
    util.error(result.error.message, result.error.type, null, result.error.info ?? null);
  }
  return result.data;
}

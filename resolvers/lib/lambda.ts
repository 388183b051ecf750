/**
 * Shared by every resolver (esbuild inlines it into each bundle): shape the Lambda event, and turn
 * the function's answer into data or a catalogue error. APPSYNC_JS rules apply here: no try, throw,
 * classes or async.
 */
import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { FunctionEvent, FunctionResult } from '../../schema/function-event';
import type { ApiError } from '../../schema/errors';
import { MESSAGES } from '../../schema/messages';

type Stash = { requestId: string };

function event(ctx: Context, extra: Partial<FunctionEvent>): LambdaRequest {
  const requestId = util.autoId();
  ctx.stash.requestId = requestId;
  const payload: FunctionEvent = { arguments: ctx.arguments, identity: null, requestId, ...extra };
  return { operation: 'Invoke', payload };
}

/**
 * Every field's request. AppSync has already authorised the caller by the field's directives in the
 * schema (the one statement of who may call what); this reads how it did so:
 * - the API key: the function gets the arguments and no identity;
 * - a Cognito user pool token: only an access token may act on an account (an ID token is for the
 *   client to read, not a credential), and the function receives it for Cognito's token-bound calls;
 * - anything else (IAM, OIDC, Lambda authorisers, none of which the API configures) is refused.
 */
export function request(ctx: Context): LambdaRequest {
  const mode = util.authType();
  if (mode === 'API Key Authorization') return event(ctx, {});
  if (mode !== 'User Pool Authorization') util.unauthorized();
  const identity = ctx.identity as {
    sub?: string;
    username?: string;
    groups?: string[] | null;
    claims?: { token_use?: string };
  } | null;
  if (!identity || !identity.claims || identity.claims.token_use !== 'access') {
    util.error(MESSAGES.accessTokenRequired, 'NOT_AUTHORIZED');
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
export function response(ctx: Context<unknown, Stash>): unknown {
  const requestId = ctx.stash.requestId;
  if (ctx.error) {
    util.error(`${MESSAGES.internal} Request id: ${requestId}`, 'INTERNAL', null, { requestId });
  }
  const result = ctx.result as FunctionResult<unknown> & { data?: unknown; error?: ApiError };
  if (result.error) {
    util.error(result.error.message, result.error.type, null, result.error.info ?? null);
  }
  return result.data;
}

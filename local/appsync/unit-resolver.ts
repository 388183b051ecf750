/**
 * One field's unit resolver, run as AppSync runs it: the APPSYNC_JS request handler, the Lambda
 * Invoke it asks for, and the response handler with `ctx.result` or `ctx.error`. Errors a handler
 * appends are kept for the response; util.error, runtime.earlyReturn and crashes end the field.
 */
import {
  type FieldNode,
  type GraphQLError,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
  print,
} from 'graphql';
import type { RequestAuth } from './auth';
import { invokeLambda, type LambdaFunction } from './lambda-invoke';
import type { HandlerOutcome, ResolverCode } from './resolver-code';
import { fieldError } from './responses';

/** A field's resolver code and the function its Lambda data source invokes. */
export interface WiredField extends LambdaFunction {
  readonly code: ResolverCode;
}

/** What every field of one request shares: its caller, headers and variables, and appended errors. */
export interface RequestContext {
  auth: RequestAuth;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  appended: GraphQLError[];
}

export interface RunOptions {
  /** Where resolver console output and function crashes are reported. */
  readonly log?: (line: string) => void;
  /** Lambda timeout. */
  readonly functionTimeoutMs?: number;
}

export async function runUnitResolver(
  wired: WiredField,
  source: unknown,
  args: Record<string, unknown>,
  context: RequestContext,
  info: GraphQLResolveInfo,
  options: RunOptions,
): Promise<unknown> {
  const ctx: Record<string, unknown> = {
    arguments: args,
    args,
    identity: context.auth.identity,
    source: source ?? null,
    stash: {},
    prev: { result: {} },
    request: { headers: context.headers, domainName: null },
    info: {
      fieldName: info.fieldName,
      parentTypeName: info.parentType.name,
      variables: context.variables,
      ...selectionOf(info),
    },
  };
  const authType = context.auth.authType;
  const request = settle(await wired.code.run({ handler: 'request', ctx, authType }), context, info, options);
  if (request.done) return request.value;

  const call = request.value as { operation?: string; payload?: unknown } | null;
  if (call?.operation !== 'Invoke') {
    return crash(
      info,
      options,
      `data source request operation "${String(call?.operation)}" is not implemented by the local AppSync (only Invoke)`,
    );
  }
  const invoked = await invokeLambda(wired, call.payload ?? null, {
    timeoutMs: options.functionTimeoutMs,
    log: options.log,
  });
  const response = settle(
    await wired.code.run({
      handler: 'response',
      ctx: { ...ctx, stash: request.stash, ...invoked },
      authType,
    }),
    context,
    info,
    options,
  );
  return response.value;
}

/** Applies a handler outcome: appended errors are kept; util.error, earlyReturn and crashes end the field. */
function settle(
  outcome: HandlerOutcome,
  context: RequestContext,
  info: GraphQLResolveInfo,
  options: RunOptions,
): { done: boolean; value: unknown; stash: Record<string, unknown> } {
  for (const line of outcome.logs)
    options.log?.(`[resolver ${info.parentType.name}.${info.fieldName}] ${line}`);
  context.appended.push(...outcome.appended.map((e) => fieldError(e, info)));
  switch (outcome.outcome) {
    case 'return':
      return { done: false, value: outcome.value, stash: outcome.stash };
    case 'earlyReturn':
      return { done: true, value: outcome.value, stash: outcome.stash };
    case 'error':
      return { done: true, value: fieldError(outcome.error, info), stash: outcome.stash };
    case 'crash':
      return {
        done: true,
        value: crash(info, options, outcome.message, outcome.notImplemented),
        stash: outcome.stash,
      };
  }
}

function crash(
  info: GraphQLResolveInfo,
  options: RunOptions,
  message: string,
  notImplemented?: string,
): GraphQLError {
  const field = `${info.parentType.name}.${info.fieldName}`;
  options.log?.(`✖ resolver ${field} failed: ${message}`);
  return fieldError(
    {
      message: `The resolver of ${field} failed: ${message}`,
      errorType: notImplemented ? 'LocalAppSync:NotImplemented' : 'Code',
      data: null,
      errorInfo: null,
    },
    info,
  );
}

/**
 * A field's selection as ctx.info gives it, per field node: a node belongs to one parsed document,
 * which the engine keeps for repeated queries, so the same field of the same query is walked once.
 */
const selections = new WeakMap<FieldNode, { selectionSetList: string[]; selectionSetGraphQL: string }>();

function selectionOf(info: GraphQLResolveInfo): {
  selectionSetList: string[];
  selectionSetGraphQL: string;
} {
  const node = info.fieldNodes[0];
  let selection = node && selections.get(node);
  if (!selection) {
    selection = {
      selectionSetList: selectionSetList(info),
      selectionSetGraphQL: node?.selectionSet ? print(node.selectionSet) : '',
    };
    if (node) selections.set(node, selection);
  }
  // Only ever serialised into the handler's context, never changed: shared safely.
  return selection;
}

/** `ctx.info.selectionSetList`: every field below this one as a slash path, fragments expanded. */
function selectionSetList(info: GraphQLResolveInfo): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        const name = prefix + s.name.value;
        out.push(name);
        walk(s.selectionSet, `${name}/`);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, prefix);
      else walk(info.fragments[s.name.value]?.selectionSet, prefix);
    }
  };
  walk(info.fieldNodes[0]?.selectionSet, '');
  return out;
}

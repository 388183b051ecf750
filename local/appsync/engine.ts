/**
 * The local AppSync's request pipeline: limits, authentication, parse and validate, field
 * authorization, and for each field with a resolver the APPSYNC_JS request handler, the Lambda data
 * source, and the response handler; then AppSync's response and error shapes.
 */
import { randomUUID } from 'node:crypto';
import {
  buildSchema,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  parse,
  print,
  validate,
  defaultFieldResolver,
} from 'graphql';
import {
  authenticate,
  fieldRules,
  mayAccess,
  UnauthorizedRequest,
  type AuthConfig,
  type RequestAuth,
} from './auth';
import type { ResolverCode, HandlerOutcome, AppSyncErrorEntry } from './resolver-code';
import { AWS_SCALARS } from './scalars';

/** A Lambda data source: AppSync sends the resolver's payload as the event. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown> | unknown;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
}

export interface WiredField {
  readonly code: ResolverCode;
  readonly functionName: string;
  readonly handler: LambdaHandler;
}

export interface Limits {
  /** AppSync's queryDepthLimit; 0 = none. */
  readonly queryDepth: number;
  /** AppSync's resolverCountLimit; 0 = none. */
  readonly resolverCount: number;
  readonly maxRequestBytes: number;
  readonly introspection: boolean;
}

export interface EngineOptions {
  /** SDL including AppSync's prelude (scalars and directives). */
  readonly schemaSDL: string;
  /** `Mutation.login` -> resolver and function. */
  readonly fields: ReadonlyMap<string, WiredField>;
  readonly auth: AuthConfig;
  readonly limits: Limits;
  /** Where resolver console output and function crashes are reported. */
  readonly log?: (line: string) => void;
  /** Lambda timeout. */
  readonly functionTimeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

interface RequestContext {
  auth: RequestAuth;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  appended: GraphQLError[];
}

interface AppSyncErrorJson {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

const DEFAULT_MODE = 'API_KEY' as const;

/** An error carrying AppSync's extra fields through graphql-js. */
function fieldError(entry: AppSyncErrorEntry, info?: GraphQLResolveInfo): GraphQLError {
  return new GraphQLError(entry.message, {
    nodes: info?.fieldNodes,
    path: info ? pathOf(info) : undefined,
    extensions: { errorType: entry.errorType, errorInfo: entry.errorInfo, data: entry.data },
  });
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

export function formatError(error: GraphQLError): AppSyncErrorJson {
  const ext = error.extensions as { errorType?: string | null; errorInfo?: unknown; data?: unknown };
  return {
    path: error.path ?? null,
    data: ext.data ?? null,
    errorType: ext.errorType ?? null,
    errorInfo: ext.errorInfo ?? null,
    locations: error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null,
    message: error.message,
  };
}

/**
 * Depth of the deepest selection, fragments expanded (the root field is depth 1). Introspection
 * (`__schema`, `__type`) is governed by its own switch and not counted: the standard introspection
 * query is 15 levels deep, and consoles must still load the schema under a depth limit.
 */
function depthOf(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === '__schema' || s.name.value === '__type') continue;
      max = Math.max(max, 1 + (s.selectionSet ? depthOf(s.selectionSet, fragments, seen) : 0));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(s.selectionSet, fragments, seen));
    } else {
      const f = fragments.get(s.name.value);
      if (f && !seen.has(f.name.value)) {
        max = Math.max(max, depthOf(f.selectionSet, fragments, new Set([...seen, f.name.value])));
      }
    }
  }
  return max;
}

function usesIntrospection(doc: DocumentNode): boolean {
  const text = print(doc);
  return /\b__schema\b|\b__type\b/.test(text);
}

export class LocalAppSync {
  readonly schema: GraphQLSchema;

  constructor(private readonly options: EngineOptions) {
    const schema = buildSchema(options.schemaSDL);
    for (const scalar of AWS_SCALARS) {
      const declared = schema.getType(scalar.name);
      if (declared)
        Object.assign(declared, {
          serialize: scalar.serialize,
          parseValue: scalar.parseValue,
          parseLiteral: scalar.parseLiteral,
        });
    }
    this.schema = schema;
  }

  /** The largest request body accepted; the HTTP layer reads no more than this. */
  get maxRequestBytes(): number {
    return this.options.limits.maxRequestBytes;
  }

  /** The answer to a body over the size limit. */
  tooLarge(): HttpAnswer {
    return requestError(413, 'BadRequestException', `Request body exceeds ${this.maxRequestBytes} bytes.`);
  }

  /** Handles one POST /graphql. `rawBody` is the request body as received. */
  async handle(rawBody: string, headers: Record<string, string>, sourceIp: string): Promise<HttpAnswer> {
    const { limits } = this.options;
    if (Buffer.byteLength(rawBody) > limits.maxRequestBytes) return this.tooLarge();
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(rawBody) as typeof request;
    } catch {
      return requestError(400, 'MalformedHttpRequestException', 'Unable to parse request body as JSON.');
    }
    if (typeof request?.query !== 'string' || request.query.length === 0) {
      return requestError(400, 'MalformedHttpRequestException', "Invalid request, `query` can't be null.");
    }

    let auth: RequestAuth;
    try {
      auth = await authenticate(headers, sourceIp, this.options.auth);
    } catch (error) {
      if (error instanceof UnauthorizedRequest) return requestError(401, error.errorType, error.message);
      throw error;
    }

    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return graphqlErrors([
        {
          ...formatError(error as GraphQLError),
          message: `Validation error of type InvalidSyntax: ${(error as GraphQLError).message}`,
        },
      ]);
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) {
      return graphqlErrors(
        invalid.map((e) => ({ ...formatError(e), message: `Validation error: ${e.message}` })),
      );
    }
    if (!limits.introspection && usesIntrospection(document)) {
      return graphqlErrors([
        errorJson(
          'GraphQL introspection is not allowed, but the query contained __schema or __type',
          'ValidationError',
        ),
      ]);
    }
    const fragments = new Map(
      document.definitions.flatMap((d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
      ),
    );
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation =
      typeof request.operationName === 'string'
        ? operations.find((o) => o.name?.value === request.operationName)
        : operations[0];
    if (operation && limits.queryDepth > 0) {
      const depth = depthOf(operation.selectionSet, fragments);
      if (depth > limits.queryDepth) {
        return graphqlErrors([
          errorJson(
            `Query depth ${depth} exceeds the depth limit of ${limits.queryDepth}.`,
            'QueryDepthLimitExceeded',
          ),
        ]);
      }
    }
    if (operation && limits.resolverCount > 0) {
      const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
      const count = operation.selectionSet.selections.filter(
        (s) => s.kind === Kind.FIELD && this.options.fields.has(`${rootType}.${s.name.value}`),
      ).length;
      if (count > limits.resolverCount) {
        return graphqlErrors([
          errorJson(
            `The request needs ${count} resolvers; the limit is ${limits.resolverCount}.`,
            'ResolverCountLimitExceeded',
          ),
        ]);
      }
    }

    const context: RequestContext = {
      auth,
      headers,
      variables: (request.variables as Record<string, unknown>) ?? {},
      appended: [],
    };
    const result = await execute({
      schema: this.schema,
      document,
      variableValues: context.variables,
      operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
      contextValue: context,
      fieldResolver: this.resolveField,
    });
    const errors = [...(result.errors ?? []), ...context.appended].map(formatError);
    return {
      status: 200,
      body: errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null },
    };
  }

  private readonly resolveField: GraphQLFieldResolver<unknown, RequestContext> = async (
    source,
    args,
    context,
    info,
  ) => {
    const type = info.parentType as GraphQLObjectType;
    const field = type.getFields()[info.fieldName]!;
    if (!mayAccess(fieldRules(type, field, DEFAULT_MODE), context.auth)) {
      return fieldError(
        {
          message: `Not Authorized to access ${info.fieldName} on type ${type.name}`,
          errorType: 'Unauthorized',
          data: null,
          errorInfo: null,
        },
        info,
      );
    }
    const wired = this.options.fields.get(`${type.name}.${info.fieldName}`);
    if (!wired) {
      if (type === this.schema.getQueryType() || type === this.schema.getMutationType()) {
        return fieldError(
          {
            message: `No resolver is attached to ${type.name}.${info.fieldName} on this local API yet.`,
            errorType: 'LocalAppSync:NotWired',
            data: null,
            errorInfo: null,
          },
          info,
        );
      }
      return defaultFieldResolver(source, args, context, info);
    }
    return this.runResolver(wired, source, args, context, info);
  };

  private async runResolver(
    wired: WiredField,
    source: unknown,
    args: Record<string, unknown>,
    context: RequestContext,
    info: GraphQLResolveInfo,
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
        selectionSetList: selectionSetList(info),
        selectionSetGraphQL: info.fieldNodes[0]?.selectionSet ? print(info.fieldNodes[0].selectionSet) : '',
      },
    };
    const authType = context.auth.authType;
    const request = this.settle(wired.code.run({ handler: 'request', ctx, authType }), context, info);
    if (request.done) return request.value;

    const call = request.value as { operation?: string; payload?: unknown } | null;
    if (call?.operation !== 'Invoke') {
      return this.crash(
        info,
        `data source request operation "${String(call?.operation)}" is not implemented by the local AppSync (only Invoke)`,
      );
    }
    const invoked = await this.invokeLambda(wired, call.payload ?? null);
    const response = this.settle(
      wired.code.run({ handler: 'response', ctx: { ...ctx, stash: request.stash, ...invoked }, authType }),
      context,
      info,
    );
    return response.value;
  }

  /** Applies a handler outcome: appended errors are kept; util.error, earlyReturn and crashes end the field. */
  private settle(
    outcome: HandlerOutcome,
    context: RequestContext,
    info: GraphQLResolveInfo,
  ): { done: boolean; value: unknown; stash: Record<string, unknown> } {
    for (const line of outcome.logs)
      this.options.log?.(`[resolver ${info.parentType.name}.${info.fieldName}] ${line}`);
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
          value: this.crash(info, outcome.message, outcome.notImplemented),
          stash: outcome.stash,
        };
    }
  }

  private crash(info: GraphQLResolveInfo, message: string, notImplemented?: string): GraphQLError {
    const field = `${info.parentType.name}.${info.fieldName}`;
    this.options.log?.(`✖ resolver ${field} failed: ${message}`);
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

  /** AppSync puts the function's answer in ctx.result, or a crash in ctx.error as Lambda:Unhandled. */
  private async invokeLambda(
    wired: WiredField,
    payload: unknown,
  ): Promise<{ result?: unknown; error?: { message: string; type: string } }> {
    const timeoutMs = this.options.functionTimeoutMs ?? 30_000;
    const started = Date.now();
    const awsRequestId = randomUUID();
    const context: LambdaContext = {
      functionName: wired.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${wired.functionName}`,
      memoryLimitInMB: '256',
      awsRequestId,
      logGroupName: `/aws/lambda/${wired.functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    // The event crosses a JSON boundary, as it does between AppSync and Lambda.
    const event = JSON.parse(JSON.stringify(payload)) as unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        Promise.resolve(wired.handler(event, context)),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`)),
            timeoutMs,
          );
        }),
      ]);
      return { result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      const e = error as Error;
      this.options.log?.(
        `✖ function ${wired.functionName} threw ${e.name ?? 'Error'} (request ${awsRequestId})`,
      );
      return { error: { message: e.message ?? String(error), type: 'Lambda:Unhandled' } };
    } finally {
      clearTimeout(timer);
    }
  }
}

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

function errorJson(message: string, errorType: string | null): AppSyncErrorJson {
  return { path: null, data: null, errorType, errorInfo: null, locations: null, message };
}

function requestError(status: number, errorType: string, message: string): HttpAnswer {
  return { status, body: { errors: [{ errorType, message }] } };
}

function graphqlErrors(errors: AppSyncErrorJson[]): HttpAnswer {
  return { status: 200, body: { data: null, errors } };
}

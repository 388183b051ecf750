/**
 * The local AppSync's request pipeline, in order: the size limit, authentication (auth.ts), parse and
 * validate, the introspection, depth and resolver-count limits (limits.ts); then for each field its
 * authorization (auth.ts) and, where a resolver is attached, its unit resolver (unit-resolver.ts).
 * Answers take AppSync's response and error shapes (responses.ts).
 */
import {
  buildSchema,
  execute,
  type GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type DocumentNode,
  parse,
  validate,
  defaultFieldResolver,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import {
  authenticate,
  fieldRules,
  mayAccess,
  UnauthorizedRequest,
  type AuthConfig,
  type RequestAuth,
} from './auth';
import { exceedsSize, limitRefusal, tooLarge, type Limits } from './limits';
import {
  errorJson,
  fieldError,
  formatError,
  graphqlErrors,
  requestError,
  type HttpAnswer,
} from './responses';
import { variableProblems } from './variables';
import { AWS_SCALARS } from './scalars';
import { runUnitResolver, type RequestContext, type RunOptions, type WiredField } from './unit-resolver';

export interface EngineOptions extends RunOptions {
  /** SDL including AppSync's prelude (scalars and directives). */
  readonly schemaSDL: string;
  /** `Mutation.login` -> resolver and function. */
  readonly fields: ReadonlyMap<string, WiredField>;
  readonly auth: AuthConfig;
  readonly limits: Limits;
}

const DEFAULT_MODE = 'API_KEY' as const;

interface Prepared {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode | undefined;
}
/** Distinct valid documents kept: a client sends a handful; the bound keeps junk from growing it. */
const MAX_PREPARED = 256;

export class LocalAppSync {
  readonly schema: GraphQLSchema;
  /** By query text, then by operation name. */
  private readonly prepared = new Map<string, Map<string | undefined, Prepared>>();
  /** A field's auth rules, read from its directives once. */
  private readonly rules = new WeakMap<GraphQLField<unknown, unknown>, ReturnType<typeof fieldRules>>();

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
    return tooLarge(this.options.limits);
  }

  /** Handles one POST /graphql. `rawBody` is the request body as received. */
  async handle(rawBody: string, headers: Record<string, string>, sourceIp: string): Promise<HttpAnswer> {
    const { limits } = this.options;
    if (exceedsSize(rawBody, limits)) return this.tooLarge();
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

    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const prepared = this.prepare(request.query, operationName);
    if ('refusal' in prepared) return prepared.refusal;
    const { document, operation } = prepared;
    const variables = (request.variables as Record<string, unknown>) ?? {};
    const wrong = operation ? variableProblems(this.schema, operation, variables) : [];
    if (wrong.length > 0) return graphqlErrors(wrong.map((message) => errorJson(message, 'ValidationError')));

    const context: RequestContext = {
      auth,
      headers,
      variables,
      appended: [],
    };
    const result = await execute({
      schema: this.schema,
      document,
      variableValues: context.variables,
      operationName,
      contextValue: context,
      fieldResolver: this.resolveField,
    });
    const errors = [...(result.errors ?? []), ...context.appended].map(formatError);
    return {
      status: 200,
      body: errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null },
    };
  }

  /**
   * The parsed, validated document and the operation that would run, or the answer refusing it.
   * Both depend only on the query text, the operation name, the schema and the limits, so valid
   * documents are kept (at most MAX_PREPARED queries, the least recently used dropped first), and a
   * client sending the same operation again skips parsing and validation: about half a millisecond.
   */
  private prepare(query: string, operationName: string | undefined): Prepared | { refusal: HttpAnswer } {
    let byOperation = this.prepared.get(query);
    if (byOperation) {
      this.prepared.delete(query);
      this.prepared.set(query, byOperation);
      const kept = byOperation.get(operationName);
      if (kept) return kept;
    }
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return {
        refusal: graphqlErrors([
          {
            ...formatError(error as GraphQLError),
            message: `Validation error of type InvalidSyntax: ${(error as GraphQLError).message}`,
          },
        ]),
      };
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) {
      return {
        refusal: graphqlErrors(
          invalid.map((e) => ({ ...formatError(e), message: `Validation error: ${e.message}` })),
        ),
      };
    }
    const refused = limitRefusal(document, operationName, this.options.limits, (field) =>
      this.options.fields.has(field),
    );
    if (refused) return { refusal: graphqlErrors([refused]) };
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (operationName === undefined || d.name?.value === operationName),
    );
    const ready = { document, operation };
    // An operation name the document does not have is answered by execute, and not kept: junk names
    // must not grow the cache.
    if (!operation) return ready;
    if (!byOperation) {
      if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
      this.prepared.set(query, (byOperation = new Map()));
    }
    byOperation.set(operationName, ready);
    return ready;
  }

  private readonly resolveField: GraphQLFieldResolver<unknown, RequestContext> = async (
    source,
    args,
    context,
    info,
  ) => {
    const type = info.parentType as GraphQLObjectType;
    const field = type.getFields()[info.fieldName]!;
    let rules = this.rules.get(field);
    if (!rules) this.rules.set(field, (rules = fieldRules(type, field, DEFAULT_MODE)));
    if (!mayAccess(rules, context.auth)) {
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
    // No resolver attached: AppSync resolves the field from its parent's value, so a root field is
    // null. The build refuses a schema field without a resolver, so only fixtures get here.
    if (!wired) {
      return defaultFieldResolver(source, args, context, info);
    }
    return runUnitResolver(wired, source, args, context, info, this.options);
  };
}

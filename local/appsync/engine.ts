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
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const refused = limitRefusal(document, operationName, limits, (field) => this.options.fields.has(field));
    if (refused) return graphqlErrors([refused]);

    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (operationName === undefined || d.name?.value === operationName),
    );
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
    // No resolver attached: AppSync resolves the field from its parent's value, so a root field is
    // null. The build refuses a schema field without a resolver, so only fixtures get here.
    if (!wired) {
      return defaultFieldResolver(source, args, context, info);
    }
    return runUnitResolver(wired, source, args, context, info, this.options);
  };
}

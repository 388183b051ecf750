/**
 * The Lambda adapter every function uses: validate the arguments, run one domain operation with the
 * clients built at cold start, and answer a FunctionResult. Failures in the catalogue are answers;
 * anything else is logged by name and answered as INTERNAL with the request id.
 */
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { CallerIdentity, FunctionEvent, FunctionResult } from '../../schema/function-event';
import type { FieldName, Fields } from '../../schema/generated/types';
import { createDeps, type Deps } from './clients';
import { readConfig } from './config';
import { ApiFailure, errorName, fail } from './errors';
import { logger } from './logger';
import { sleep } from './wait';
import { MESSAGES } from '../../schema/messages';

export interface Call<TInput> {
  readonly input: TInput;
  readonly deps: Deps;
  readonly identity: CallerIdentity | null;
  readonly accessToken: string | undefined;
  readonly requestId: string;
}

let deps: Deps | undefined;
let clock = () => new Date();
/** Once per cold start; a bad configuration fails the first call with the setting's name in the log. */
const coldStart = (): Deps => (deps ??= createDeps(readConfig(), clock));

/**
 * The local stack runs the functions on the clock it gives the local Cognito, so expiries the API
 * keeps itself (enrolment sessions) and Cognito's agree when a test moves time. Lambda never calls it.
 */
export function useClock(now: () => Date): void {
  clock = now;
  deps = undefined;
}

export interface OperationOptions {
  /**
   * The answer could tell whether an account exists by how long it takes (an existing account costs
   * other Cognito calls than an unknown one), so every answer waits until the configured floor.
   */
  readonly uniformLatency?: boolean;
}

/** What the field returns, as the schema's generated types say. */
export type ResultOf<F extends FieldName> = Fields[F]['result'];

type Mismatch<F extends FieldName, Why extends string> = { readonly inputSchemaMismatch: `${F}: ${Why}` };

/**
 * `unknown` when the input schema's output has exactly the fields of the field's generated input type,
 * each assignable to it; otherwise a type no zod schema has, whose name says what is wrong. So renaming,
 * adding or retyping an input field in schema/schema.graphql fails to compile until the handler follows.
 */
export type InputMatches<F extends FieldName, S extends z.ZodMiniType> = Fields[F]['args'] extends {
  input: infer I;
}
  ? [Exclude<keyof I, keyof z.output<S>>] extends [never]
    ? [Exclude<keyof z.output<S>, keyof I>] extends [never]
      ? z.output<S> extends I
        ? unknown
        : Mismatch<F, 'a field of the input schema has another type than in the GraphQL schema'>
      : Mismatch<F, 'the input schema has a field the GraphQL input type does not'>
    : Mismatch<F, 'the input schema lacks a field of the GraphQL input type'>
  : z.output<S> extends Record<string, never>
    ? unknown
    : Mismatch<F, 'the field takes no input'>;

export function operation<F extends FieldName, TSchema extends z.ZodMiniType>(
  field: F,
  schema: TSchema & InputMatches<F, TSchema>,
  run: (call: Call<z.output<TSchema>>) => Promise<ResultOf<F>>,
  options: OperationOptions = {},
): (event: FunctionEvent, context: Context) => Promise<FunctionResult<ResultOf<F>>> {
  // The clients are built while Lambda initialises the function, as AWS advises, not in its first
  // request. Without a valid configuration (a tool importing the handler) the first call says why.
  try {
    coldStart();
  } catch {
    // Left to the first call, which fails with the setting's name in the log.
  }
  return async (event, context) => {
    const requestId = event.requestId || context.awsRequestId;
    logger.appendKeys({ operation: field, requestId, awsRequestId: context.awsRequestId });
    const started = Date.now();
    try {
      // Every mutation takes one `input:` argument; fields without arguments validate an empty object.
      const parsed = schema.safeParse((event.arguments as { input?: unknown }).input ?? {});
      if (!parsed.success) {
        // Which fields were wrong and what they should be; never the values sent.
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
        throw fail('BAD_USER_INPUT', `${MESSAGES.badInput} Check: ${fields.join(', ')}.`, {
          fields: parsed.error.issues.map((i) => ({
            field: i.path.join('.'),
            problem: i.message,
          })),
        });
      }
      const data = await run({
        input: parsed.data,
        deps: coldStart(),
        identity: event.identity,
        accessToken: event.accessToken,
        requestId,
      });
      logger.info('operation succeeded');
      return { data };
    } catch (error) {
      if (error instanceof ApiFailure) {
        // The catalogue type and, where AWS refused, the exception's name: why, without any input.
        logger.info('operation refused', {
          errorType: error.type,
          ...(error.causeName ? { cause: error.causeName } : {}),
        });
        return { error: error.toApiError() };
      }
      logger.error('operation failed', { cause: errorName(error) });
      return {
        error: {
          type: 'INTERNAL',
          message: `${MESSAGES.internal} Request id: ${requestId}`,
          info: { requestId },
        },
      };
    } finally {
      logger.removeKeys(['operation', 'requestId', 'awsRequestId']);
      const floor = options.uniformLatency ? (deps?.config.uniformResponseMs ?? 0) : 0;
      if (floor > 0) await sleep(floor - (Date.now() - started));
    }
  };
}

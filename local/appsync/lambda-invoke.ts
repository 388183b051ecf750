/**
 * A Lambda data source's Invoke, in-process: the function handler is called with the resolver's
 * payload as the event and a Lambda context object, under the function's timeout, as AppSync's
 * Lambda data source would call the deployed function.
 */
import { randomUUID } from 'node:crypto';

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

export interface LambdaFunction {
  readonly functionName: string;
  readonly handler: LambdaHandler;
}

/** What the response handler sees of the invoke: `ctx.result`, or `ctx.error`. */
export interface InvokeOutcome {
  result?: unknown;
  error?: { message: string; type: string };
}

export interface InvokeOptions {
  /** Lambda timeout; 30 s unless set. */
  readonly timeoutMs?: number;
  /** Where function crashes are reported. */
  readonly log?: (line: string) => void;
}

/** AppSync puts the function's answer in ctx.result, or a crash in ctx.error as Lambda:Unhandled. */
export async function invokeLambda(
  fn: LambdaFunction,
  payload: unknown,
  options: InvokeOptions = {},
): Promise<InvokeOutcome> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  const awsRequestId = randomUUID();
  const context: LambdaContext = {
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${fn.functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
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
      Promise.resolve(fn.handler(event, context)),
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
    options.log?.(`✖ function ${fn.functionName} threw ${e.name ?? 'Error'} (request ${awsRequestId})`);
    return { error: { message: e.message ?? String(error), type: 'Lambda:Unhandled' } };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A Lambda data source's Invoke, in-process: the function handler is called with the resolver's
 * payload as the event and a Lambda context object, under the function's timeout, as AppSync's
 * Lambda data source would call the deployed function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';

/**
 * Every function runs in this one process, many invocations at once: what Lambda calls an execution
 * environment with multi-concurrency (Lambda Managed Instances). Its runtime then sets
 * AWS_LAMBDA_MAX_CONCURRENCY and runs each invocation inside its InvokeStore, an AsyncLocalStorage
 * that Powertools reads, so log keys a handler appends belong to its own invocation rather than to
 * the process. The same here; without it, one request's removeKeys strips another's request id.
 */
const MAX_CONCURRENCY = '64';
let invokeStore: InvokeStoreBase | undefined;

/**
 * The runtime's store for concurrent invocations (the package's own InvokeStoreMulti does the same),
 * used when something in this process asked the package for its store before the local stack
 * started: the package then keeps the single shared store it made, and says so only by its class.
 */
class ConcurrentInvokeStore extends InvokeStoreBase {
  private readonly als = new AsyncLocalStorage<Record<string | symbol, unknown>>();
  getContext(): Record<string | symbol, unknown> | undefined {
    return this.als.getStore();
  }
  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.als.getStore()?.[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key))
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const store = this.als.getStore();
    if (!store) throw new Error('No context available');
    store[key] = value;
  }
  run<T>(context: Record<string | symbol, unknown>, fn: () => T): T {
    return this.als.run(context, fn);
  }
}

/**
 * Makes this process such an environment: the variable set, and the store the runtime exposes as
 * `awslambda.InvokeStore` (which Powertools reads on every log call) one that keeps each
 * invocation's context apart.
 */
export async function useConcurrentInvocations(): Promise<void> {
  if (invokeStore) return;
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= MAX_CONCURRENCY;
  let store: InvokeStoreBase = await InvokeStore.getInstanceAsync(true);
  if (store.constructor.name !== 'InvokeStoreMulti') {
    store = new ConcurrentInvokeStore();
    (globalThis as { awslambda?: { InvokeStore?: InvokeStoreBase } }).awslambda = {
      ...(globalThis as { awslambda?: object }).awslambda,
      InvokeStore: store,
    };
  }
  invokeStore = store;
}

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
  if (!invokeStore) await useConcurrentInvocations();
  const store = invokeStore!;
  try {
    const result = await Promise.race([
      store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: awsRequestId }, () =>
        Promise.resolve(fn.handler(event, context)),
      ),
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

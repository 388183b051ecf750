/**
 * The request limits AppSync can be configured with: request body size, introspection on or off,
 * query depth (queryDepthLimit) and resolver count (resolverCountLimit).
 */
import { Kind, print, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { errorJson, requestError, type AppSyncErrorJson, type HttpAnswer } from './responses';

export interface Limits {
  /** AppSync's queryDepthLimit; 0 = none. */
  readonly queryDepth: number;
  /** AppSync's resolverCountLimit; 0 = none. */
  readonly resolverCount: number;
  readonly maxRequestBytes: number;
  readonly introspection: boolean;
}

export function exceedsSize(rawBody: string, limits: Limits): boolean {
  return Buffer.byteLength(rawBody) > limits.maxRequestBytes;
}

/** The answer to a body over the size limit. */
export function tooLarge(limits: Limits): HttpAnswer {
  return requestError(413, 'BadRequestException', `Request body exceeds ${limits.maxRequestBytes} bytes.`);
}

/**
 * The error that refuses a valid document under the limits, or undefined if it is within them:
 * introspection first, then the depth and the resolver count of the operation that would run
 * (`operationName`, or the first). `isWired` tells which root fields (`Mutation.login`) have a resolver.
 */
export function limitRefusal(
  document: DocumentNode,
  operationName: string | undefined,
  limits: Limits,
  isWired: (field: string) => boolean,
): AppSyncErrorJson | undefined {
  if (!limits.introspection && usesIntrospection(document)) {
    return errorJson(
      'GraphQL introspection is not allowed, but the query contained __schema or __type',
      'ValidationError',
    );
  }
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operationName !== undefined ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (operation && limits.queryDepth > 0) {
    const depth = depthOf(operation.selectionSet, fragments);
    if (depth > limits.queryDepth) {
      return errorJson(
        `Query depth ${depth} exceeds the depth limit of ${limits.queryDepth}.`,
        'QueryDepthLimitExceeded',
      );
    }
  }
  if (operation && limits.resolverCount > 0) {
    const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const count = rootResolverCalls(operation.selectionSet, fragments, (name) =>
      isWired(`${rootType}.${name}`),
    );
    if (count > limits.resolverCount) {
      return errorJson(
        `The request needs ${count} resolvers; the limit is ${limits.resolverCount}.`,
        'ResolverCountLimitExceeded',
      );
    }
  }
  return undefined;
}

/**
 * How many resolvers the root selection invokes: one per response key (alias or name) of a wired
 * field, with the fields of inline fragments and fragment spreads collected in, as GraphQL execution
 * collects them (the same key twice is one call). @skip/@include are not evaluated: a field that
 * might run counts.
 */
function rootResolverCalls(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  isWired: (field: string) => boolean,
): number {
  const keys = new Set<string>();
  const collect = (selections: SelectionSetNode, seen: ReadonlySet<string>): void => {
    for (const s of selections.selections) {
      if (s.kind === Kind.FIELD) {
        if (isWired(s.name.value)) keys.add(s.alias?.value ?? s.name.value);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        collect(s.selectionSet, seen);
      } else {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) collect(f.selectionSet, new Set([...seen, f.name.value]));
      }
    }
  };
  collect(set, new Set());
  return keys.size;
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

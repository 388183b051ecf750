/**
 * AppSync's answer shapes: request-level refusals (an HTTP status and a bare error list), GraphQL
 * errors with AppSync's fields (`errorType`, `errorInfo`, `data`), and the field errors that carry
 * those fields through graphql-js.
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { AppSyncErrorEntry } from './resolver-code';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface AppSyncErrorJson {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

/** An error carrying AppSync's extra fields through graphql-js. */
export function fieldError(entry: AppSyncErrorEntry, info?: GraphQLResolveInfo): GraphQLError {
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

/** An error entry that belongs to the whole request: no path, no locations. */
export function errorJson(message: string, errorType: string | null): AppSyncErrorJson {
  return { path: null, data: null, errorType, errorInfo: null, locations: null, message };
}

/** A request refused before GraphQL: the status AppSync answers with and a bare error list. */
export function requestError(status: number, errorType: string, message: string): HttpAnswer {
  return { status, body: { errors: [{ errorType, message }] } };
}

/** A request refused by GraphQL before any field ran: HTTP 200, null data. */
export function graphqlErrors(errors: AppSyncErrorJson[]): HttpAnswer {
  return { status: 200, body: { data: null, errors } };
}

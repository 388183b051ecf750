/**
 * The GraphiQL console, served from local assets only (the page inlines GraphiQL: no CDN), with the
 * API key prefilled and one tab per step of an account's life. The tabs' documents are the files of
 * examples/graphiql/, which `npm run codegen` validates against the schema, and their variables are
 * typed by the documents codegen makes of them: a schema change cannot leave a tab stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { Kind, parse } from 'graphql';
import type { GraphiQLOptions } from 'graphql-yoga';
import type {
  ConfirmMfaMutationVariables,
  ConfirmUserMutationVariables,
  CreateUserMutationVariables,
  LoginMutationVariables,
  RefreshMutationVariables,
  VerifyMfaMutationVariables,
} from '../../examples/graphiql/generated/graphql';
import { readSchemaSDL, ROOT } from '../../infra/paths';

export const GRAPHIQL_TABS_DIR = join(ROOT, 'examples', 'graphiql');

interface Tab {
  query: string;
  variables?: string;
  headers?: string;
}

const vars = (v: Record<string, unknown>): string => JSON.stringify(v, null, 2);

/** Placeholders a person replaces; typed, so a renamed input field fails the typecheck. */
const VARIABLES: {
  CreateUser: CreateUserMutationVariables;
  ConfirmUser: ConfirmUserMutationVariables;
  ConfirmMfa: ConfirmMfaMutationVariables;
  Login: LoginMutationVariables;
  VerifyMfa: VerifyMfaMutationVariables;
  Refresh: RefreshMutationVariables;
} = {
  CreateUser: { input: { email: 'jane@example.com', fullName: 'Jane Doe' } },
  ConfirmUser: {
    input: {
      email: 'jane@example.com',
      temporaryPassword: 'from the mailbox',
      newPassword: 'a long passphrase of yours',
    },
  },
  ConfirmMfa: { input: { email: 'jane@example.com', session: 'from step 2', otp: '123456' } },
  Login: { input: { email: 'jane@example.com', password: 'a long passphrase of yours' } },
  VerifyMfa: { input: { email: 'jane@example.com', session: 'from step 4', otp: '123456' } },
  Refresh: { input: { refreshToken: 'from step 5' } },
};

/** Whether a document calls a field that only Cognito users may call (its directives say so). */
function needsAccessToken(query: string): boolean {
  const userPoolFields = new Set<string>();
  for (const definition of parse(readSchemaSDL()).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (definition.name.value !== 'Query' && definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const directives = field.directives?.map((d) => d.name.value) ?? [];
      if (directives.includes('aws_cognito_user_pools') && !directives.includes('aws_api_key')) {
        userPoolFields.add(field.name.value);
      }
    }
  }
  return parse(query).definitions.some(
    (d) =>
      d.kind === Kind.OPERATION_DEFINITION &&
      d.selectionSet.selections.some((s) => s.kind === Kind.FIELD && userPoolFields.has(s.name.value)),
  );
}

/** The tab documents in file order (01-…, 02-…), with their operation names. */
export function graphiqlTabDocuments(): { name: string; query: string }[] {
  return readdirSync(GRAPHIQL_TABS_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => {
      const query = readFileSync(join(GRAPHIQL_TABS_DIR, f), 'utf8').trim();
      const name = /^(?:query|mutation)\s+(\w+)/m.exec(query)?.[1];
      if (!name) throw new Error(`examples/graphiql/${f} has no named operation`);
      return { name, query };
    });
}

function lifecycleTabs(apiKey: string): Tab[] {
  return graphiqlTabDocuments().map(({ name, query }) => {
    const variables = (VARIABLES as Record<string, Record<string, unknown> | undefined>)[name];
    return {
      query,
      ...(variables ? { variables: vars(variables) } : {}),
      headers: vars(
        needsAccessToken(query) ? { Authorization: 'paste accessToken here' } : { 'x-api-key': apiKey },
      ),
    };
  });
}

let cached: string | undefined;

export function graphiqlPage(apiKey: string): string {
  if (cached) return cached;
  const tabs = lifecycleTabs(apiKey);
  const options: GraphiQLOptions & { variables?: string } = {
    title: 'Auth API (local)',
    endpoint: '/graphql',
    defaultHeaders: vars({ 'x-api-key': apiKey }),
    defaultTabs: tabs,
    // GraphiQL opens the first tab with its query and headers but takes the variables from this
    // option (yoga passes it on as initialVariables), not from the tab: without it they are empty.
    ...(tabs[0]?.variables ? { variables: tabs[0].variables } : {}),
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
  };
  cached = renderGraphiQL(options);
  return cached;
}

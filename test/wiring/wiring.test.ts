import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundlePathOf } from '../../infra/resolver-bundles';
import { PRELUDE_FILE } from '../../infra/paths';
import { authOf, wiringProblems } from '../../infra/wiring-checks';
import { buildSchema } from 'graphql';
import { OPERATIONS, resolverFileOf, type Operation } from '../../infra/wiring';
import { readFileSync } from 'node:fs';

const prelude = readFileSync(PRELUDE_FILE, 'utf8');
const schema = (body: string) => `${prelude}\n${body}`;
const row = (field: `${'Query' | 'Mutation'}.${string}`): Operation => {
  const [typeName, fieldName] = field.split('.') as ['Query' | 'Mutation', string];
  return {
    typeName,
    fieldName,
    functionName: fieldName,
    cognito: [],
    bucket: {},
    clientSecret: false,
    guessBounds: false,
    mailBounds: false,
    recoveryKey: false,
  };
};

describe('the wiring table, the schema and the resolver files', () => {
  it('agree for the project as it stands', () => {
    expect(wiringProblems()).toEqual([]);
  });

  it('refuses a field with no resolver file and a resolver with no field', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String @aws_api_key b: String @aws_cognito_user_pools }`),
      operations: [row('Query.a'), row('Query.b')],
      resolverFiles: ['Query.a', 'Query.stale'],
      handlerFolders: ['a', 'b'],
    });
    expect(problems).toEqual([
      'field Query.b has no resolver file resolvers/Query.b.ts',
      'resolvers/Query.stale.ts resolves no field of the schema',
    ]);
  });

  it('refuses a field without a row and a row without a field', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String }`),
      operations: [row('Query.gone')],
      resolverFiles: ['Query.a'],
      handlerFolders: ['a', 'gone'],
    });
    expect(problems).toEqual([
      'wiring row Query.gone has no field in schema/schema.graphql',
      'field Query.a has no row in infra/wiring.ts',
    ]);
  });

  it('refuses a row whose function has no handler (the field would answer null on AWS)', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String b: String }`),
      operations: [row('Query.a'), row('Query.b')],
      resolverFiles: ['Query.a', 'Query.b'],
      handlerFolders: ['a'],
    });
    expect(problems).toEqual(['Query.b has no function functions/b/handler.ts']);
  });

  it("reads who may call a field from its directives, the field's own before its type's", () => {
    const parsed = buildSchema(
      schema(`type Query @aws_cognito_user_pools {
        a: String @aws_cognito_user_pools(cognito_groups: ["admins"])
        b: String @aws_api_key
        c: String
      }
      type Mutation { d: String }`),
    );
    expect(['a', 'b', 'c'].map((f) => authOf(parsed, 'Query', f))).toEqual([
      'COGNITO_GROUPS',
      'API_KEY',
      'COGNITO',
    ]);
    // No directive at all: the API key, AppSync's default mode here.
    expect(authOf(parsed, 'Mutation', 'd')).toBe('API_KEY');
  });

  it('lets npm run build bundle one ESM file per field, with @aws-appsync/utils left to the runtime', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-resolvers.ts'], {
      encoding: 'utf8',
    });
    expect(out).toContain(`Bundled ${OPERATIONS.length} resolvers`);
    for (const o of OPERATIONS) {
      const bundle = readFileSync(bundlePathOf(resolverFileOf(o)), 'utf8');
      expect(bundle).toMatch(/from "@aws-appsync\/utils"/);
      expect(bundle).toMatch(/export \{[^}]*\brequest\b[^}]*\bresponse\b/s);
    }
  });
});

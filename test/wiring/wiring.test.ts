import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundlePathOf } from '../../infra/resolver-bundles';
import { PRELUDE_FILE, wiringProblems } from '../../infra/schema';
import { OPERATIONS, resolverFileOf, type Operation } from '../../infra/wiring';
import { readFileSync } from 'node:fs';

const prelude = readFileSync(PRELUDE_FILE, 'utf8');
const schema = (body: string) => `${prelude}\n${body}`;
const row = (field: `${'Query' | 'Mutation'}.${string}`, auth: Operation['auth']): Operation => {
  const [typeName, fieldName] = field.split('.') as ['Query' | 'Mutation', string];
  return { typeName, fieldName, functionName: fieldName, auth, cognito: [], bucket: [], clientSecret: false };
};

describe('the wiring table, the schema and the resolver files', () => {
  it('agree for the project as it stands', () => {
    expect(wiringProblems()).toEqual([]);
  });

  it('refuses a field with no resolver file, a resolver with no field, and a row whose auth disagrees', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String @aws_api_key b: String @aws_cognito_user_pools }`),
      operations: [row('Query.a', 'API_KEY'), row('Query.b', 'API_KEY')],
      resolverFiles: ['Query.a', 'Query.stale'],
      handlerFolders: ['a', 'b'],
    });
    expect(problems).toEqual([
      "Query.b: wiring says API_KEY but the schema's directives say COGNITO",
      'field Query.b has no resolver file resolvers/Query.b.ts',
      'resolvers/Query.stale.ts resolves no field of the schema',
    ]);
  });

  it('refuses a field without a row and a row without a field', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String }`),
      operations: [row('Query.gone', 'API_KEY')],
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
      operations: [row('Query.a', 'API_KEY'), row('Query.b', 'API_KEY')],
      resolverFiles: ['Query.a', 'Query.b'],
      handlerFolders: ['a'],
    });
    expect(problems).toEqual(['Query.b has no function functions/b/handler.ts']);
  });

  it('reads group-restricted directives as the admins mode', () => {
    const problems = wiringProblems({
      schemaSDL: schema(`type Query { a: String @aws_cognito_user_pools(cognito_groups: ["admins"]) }`),
      operations: [row('Query.a', 'COGNITO')],
      resolverFiles: ['Query.a'],
      handlerFolders: ['a'],
    });
    expect(problems).toEqual(["Query.a: wiring says COGNITO but the schema's directives say COGNITO_ADMINS"]);
  });

  it('lets npm run build bundle one ESM file per field, with @aws-appsync/utils left to the runtime', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-resolvers.ts'], {
      encoding: 'utf8',
    });
    expect(out).toContain(`Bundled ${OPERATIONS.length} resolvers`);
    for (const o of OPERATIONS) {
      const bundle = readFileSync(bundlePathOf(resolverFileOf(o)), 'utf8');
      expect(bundle).toMatch(/from "@aws-appsync\/utils"/);
      expect(bundle).toMatch(/export \{[^}]*as request[^}]*as response/s);
    }
  });
});

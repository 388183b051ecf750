/** The checks that keep schema, wiring table, resolver files and function handlers in step. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type ConstDirectiveNode,
} from 'graphql';
import { FUNCTIONS_DIR, readLocalSchemaSDL, RESOLVERS_DIR } from './paths';
import { OPERATIONS, resolverFileOf, type Operation } from './wiring';

/** Who may call a field, as its directives say: the API key, any signed-in user, or a Cognito group. */
export type FieldAuth = 'API_KEY' | 'COGNITO' | 'COGNITO_GROUPS';

/** The auth a root field's directives express (field directives override the type's). */
export function authOf(schema: GraphQLSchema, typeName: string, fieldName: string): FieldAuth | undefined {
  const type = schema.getType(typeName) as GraphQLObjectType | undefined;
  const field = type?.getFields()[fieldName];
  if (!type || !field) return undefined;
  const own = field.astNode?.directives ?? [];
  const directives: readonly ConstDirectiveNode[] = own.length > 0 ? own : (type.astNode?.directives ?? []);
  const cognito = directives.find((d) => d.name.value === 'aws_cognito_user_pools');
  if (cognito) {
    const groups = cognito.arguments?.find((a) => a.name.value === 'cognito_groups');
    return groups && groups.value.kind === Kind.LIST && groups.value.values.length > 0
      ? 'COGNITO_GROUPS'
      : 'COGNITO';
  }
  return 'API_KEY';
}

/**
 * Schema fields, wiring rows, resolver files and function handlers must match one to one: a resolver
 * with no field, or a field with no resolver or no function, fails the build, not production. Returns
 * the list of problems.
 */
export interface WiringSources {
  readonly schemaSDL: string;
  readonly operations: readonly Operation[];
  /** Resolver file names without `.ts`. */
  readonly resolverFiles: readonly string[];
  /** Folders under functions/ that hold a handler.ts. */
  readonly handlerFolders: readonly string[];
}

const projectSources = (): WiringSources => ({
  schemaSDL: readLocalSchemaSDL(),
  operations: OPERATIONS,
  resolverFiles: readdirSync(RESOLVERS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3)),
  handlerFolders: readdirSync(FUNCTIONS_DIR).filter((d) => existsSync(join(FUNCTIONS_DIR, d, 'handler.ts'))),
});

export function wiringProblems(sources: WiringSources = projectSources()): string[] {
  const schema = buildSchema(sources.schemaSDL);
  const problems: string[] = [];
  const fields = new Set<string>();
  for (const typeName of ['Query', 'Mutation']) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    for (const name of Object.keys(type?.getFields() ?? {})) fields.add(`${typeName}.${name}`);
  }
  const rows = new Set<string>();
  for (const o of sources.operations) {
    const name = resolverFileOf(o);
    if (rows.has(name)) problems.push(`${name} appears twice in the wiring table`);
    rows.add(name);
    if (!fields.has(name)) {
      problems.push(`wiring row ${name} has no field in schema/schema.graphql`);
      continue;
    }
    // A field whose function is missing would resolve to null on AWS, not fail the build.
    if (!sources.handlerFolders.includes(o.functionName))
      problems.push(`${name} has no function functions/${o.functionName}/handler.ts`);
  }
  for (const f of fields) if (!rows.has(f)) problems.push(`field ${f} has no row in infra/wiring.ts`);
  const files = new Set(sources.resolverFiles);
  for (const f of fields)
    if (!files.has(f)) problems.push(`field ${f} has no resolver file resolvers/${f}.ts`);
  for (const f of files)
    if (!fields.has(f)) problems.push(`resolvers/${f}.ts resolves no field of the schema`);
  return problems;
}

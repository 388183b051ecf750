// A graphql-codegen plugin: for every root field, the auth modes AppSync lets call it, read from the
// schema's directives with AppSync's precedence (a field's directives replace its type's; with
// neither, only the API's default mode). Clients pick the credential of each operation from it, so
// who may call a field is said once, in the schema.
const DIRECTIVE_MODES = {
  aws_api_key: 'API_KEY',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

/** @param {readonly import('graphql').ConstDirectiveNode[] | undefined} directives */
function rulesOf(directives) {
  const rules = [];
  for (const d of directives ?? []) {
    const mode = DIRECTIVE_MODES[d.name.value];
    if (!mode) continue;
    const groupsArg = d.arguments?.find((a) => a.name.value === 'cognito_groups')?.value;
    const groups = groupsArg?.kind === 'ListValue' ? groupsArg.values.map((v) => v.value) : [];
    rules.push(groups.length > 0 ? { mode, groups } : { mode });
  }
  return rules;
}

/**
 * @param {import('graphql').GraphQLSchema} schema
 * @param {unknown} _documents
 * @param {{ defaultMode?: string }} config
 */
export function plugin(schema, _documents, config) {
  const defaultMode = config.defaultMode ?? 'API_KEY';
  const lines = [
    `/** AppSync's auth modes. */`,
    `export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';`,
    '',
    '/** One way a field may be called: a mode, and for user pools maybe the Cognito groups it needs. */',
    'export interface AuthRule {',
    '  readonly mode: AuthMode;',
    '  readonly groups?: readonly string[];',
    '}',
    '',
    `/** The API's default mode: a field without a directive (and whose type has none) takes only this. */`,
    `export const DEFAULT_AUTH_MODE: AuthMode = '${defaultMode}';`,
    '',
    '/** The root type each kind of operation selects from. */',
    `export const ROOT_TYPES = { ${[
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ]
      .filter(([, type]) => type)
      .map(([operation, type]) => `${operation}: '${type.name}'`)
      .join(', ')} } as const;`,
    '',
    '/** Every root field, keyed as the wiring table names it, with the modes AppSync accepts for it. */',
    'export const ROOT_FIELD_AUTH = {',
  ];
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    const inherited = rulesOf(type.astNode?.directives);
    for (const field of Object.values(type.getFields())) {
      const own = rulesOf(field.astNode?.directives);
      const rules = own.length > 0 ? own : inherited.length > 0 ? inherited : [{ mode: defaultMode }];
      const entries = rules.map(({ mode, groups }) =>
        groups
          ? `{ mode: '${mode}', groups: [${groups.map((g) => `'${g}'`).join(', ')}] }`
          : `{ mode: '${mode}' }`,
      );
      lines.push(`  '${type.name}.${field.name}': [${entries.join(', ')}],`);
    }
  }
  lines.push(
    '} as const satisfies Readonly<Record<string, readonly AuthRule[]>>;',
    '',
    `/** A root field of the schema: 'Query.userinfo', 'Mutation.login', … */`,
    'export type RootField = keyof typeof ROOT_FIELD_AUTH;',
    '',
  );
  return lines.join('\n');
}

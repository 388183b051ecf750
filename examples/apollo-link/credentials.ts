/**
 * Which credential an operation takes, from the schema's auth directives (generated/auth-modes.ts,
 * made by `npm run codegen`): nobody lists operations by hand, so a new field is sent right the day
 * it is added to the schema.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { AuthApiError } from './errors';
import {
  DEFAULT_AUTH_MODE,
  ROOT_FIELD_AUTH,
  ROOT_TYPES,
  type AuthMode,
  type AuthRule,
  type RootField,
} from './generated/auth-modes';

/** The two modes a browser or app can send: the API key, or the user's access token. */
export type Credential = Extract<AuthMode, 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS'>;

/**
 * The root fields the operation selects, through inline fragments and fragment spreads as well;
 * meta fields such as `__typename` need no credential of their own.
 */
export function rootFieldsOf(document: DocumentNode, operationName?: string): string[] {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operationName === undefined ? operations[0] : operations.find((o) => o.name?.value === operationName);
  if (!operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const rootType = ROOT_TYPES[operation.operation as keyof typeof ROOT_TYPES] ?? operation.operation;
  const fields = new Set<string>();
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        if (!s.name.value.startsWith('__')) fields.add(`${rootType}.${s.name.value}`);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet);
      } else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...fields];
}

const rulesOf = (field: string): readonly AuthRule[] =>
  Object.hasOwn(ROOT_FIELD_AUTH, field)
    ? ROOT_FIELD_AUTH[field as RootField]
    : // Not in the schema: the API refuses the document anyway, and never with a token attached.
      [{ mode: DEFAULT_AUTH_MODE }];

/**
 * The credential every root field of the operation accepts. The API key wins when both would do, so
 * a token never travels where it is not needed. A document mixing fields no single credential can
 * call is refused here, before anything is sent.
 */
export function credentialFor(
  document: DocumentNode,
  operationName?: string,
): { credential: Credential; fields: string[] } {
  const fields = rootFieldsOf(document, operationName);
  let modes = new Set<AuthMode>(['API_KEY', 'AMAZON_COGNITO_USER_POOLS']);
  for (const field of fields) {
    const accepted = new Set(rulesOf(field).map((r) => r.mode));
    modes = new Set([...modes].filter((m) => accepted.has(m)));
  }
  const names = fields.map((f) => f.slice(f.indexOf('.') + 1));
  if (modes.has('API_KEY')) return { credential: 'API_KEY', fields: names };
  if (modes.has('AMAZON_COGNITO_USER_POOLS'))
    return { credential: 'AMAZON_COGNITO_USER_POOLS', fields: names };
  throw new AuthApiError(
    'BAD_USER_INPUT',
    `No one credential may call ${names.join(', ')} in one request: send them separately.`,
    { origin: 'link', ...(names[0] ? { field: names[0] } : {}) },
  );
}

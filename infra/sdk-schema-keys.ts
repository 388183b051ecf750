/**
 * An esbuild plugin that lets the bundler drop the unused parts of the AWS SDK clients' schemas.
 *
 * Since v3.930 the generated `@aws-sdk/client-<name>/dist-es/schemas/schemas_<n>.js` writes every trait
 * object with computed keys over module-level string constants:
 *
 *     const _h = "http";
 *     export var PutBucketAnalyticsConfiguration$ = [9, n0, _PBAC, { [_h]: ["PUT", "/?analytics", 200] }, …];
 *
 * esbuild treats a computed key as something that may run code (a key is converted with ToPropertyKey,
 * which could call toString on an object), so it keeps every such statement, used or not: each function
 * carries the whole schema of each client it bundles. That is aws/aws-sdk-js-v3#7607; the fix in the
 * generator, smithy-lang/smithy-typescript#1889, emits literal keys (`{ "http": [...] }`). Until the SDK
 * ships it, this plugin makes the same rewrite while the bundler loads those files, and only there:
 * a computed key whose expression is the name of a same-file top-level `const _x = "<string literal>"`
 * becomes that string literal. Everything else is left as written:
 *
 * - any other computed key (an expression, a name that is not such a constant, a name bound again
 *   anywhere else in the file, so that a shadowing binding could be meant, a use that may run before the
 *   constant is set — written before its declaration, or inside a function or class body while some
 *   statement other than an import or a string constant comes before it — and a key written with
 *   comments or parentheses inside its brackets);
 * - the key "__proto__", which as a literal key would set the object's prototype instead of making a
 *   property;
 * - getters, setters, methods, class members and destructuring patterns;
 * - everything inside strings, templates, regular expressions and comments: the file is parsed, not
 *   searched, so only real object-literal keys are touched.
 *
 * A literal key makes the same property as the computed key it replaces (same name, same order), so
 * the module's exports are the same values (test/infra/sdk-schema-keys.test.ts compares them export by
 * export on every client this project bundles).
 *
 * When the SDK changes shape, the build says so instead of silently keeping the bloat: a schema file that
 * has computed keys of which none can be rewritten fails the build. A schema file with no computed key
 * at all (the fix has shipped) is loaded as it is; the test above then fails on purpose, and this module
 * can go, with its use in infra/bundle-function.ts.
 */
import { readFile } from 'node:fs/promises';
import { parse, type Identifier, type Node, type Property } from 'acorn';
import type { Plugin } from 'esbuild';

/** The files rewritten: the generated schema modules of the SDK's clients, in their ESM build. */
export const SDK_SCHEMA_FILE =
  /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

export interface SchemaKeysResult {
  /** The source with the resolvable computed keys written as string literals. */
  readonly code: string;
  /** Object-literal computed keys written as string literals. */
  readonly rewritten: number;
  /** Object-literal computed keys left as written. */
  readonly left: number;
}

/** A top-level `const <name> = "<string>"`: its literal as written, and where its declaration ends. */
interface StringConstant {
  readonly raw: string;
  readonly value: string;
  readonly declaredAt: number;
  /**
   * Set before any of the module's own code runs: only imports and other such constants come before
   * it. A function may run before a later constant is set (called from an earlier statement), so a
   * key inside a function is rewritten only for a constant of this kind.
   */
  readonly setFirst: boolean;
}

type AnyNode = Node & Record<string, unknown>;

const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Every node of the tree, parents before children. */
function* nodesOf(root: AnyNode): Generator<AnyNode> {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'range') continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push(value[i]);
      } else if (isNode(value)) stack.push(value);
    }
  }
}

/** The names a binding pattern declares (`a`, `{ a, b: [c] }`, `d = 1`, `...e`). */
function namesOfPattern(pattern: AnyNode | null | undefined, into: string[]): string[] {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier':
      into.push((pattern as unknown as Identifier).name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[]) {
        namesOfPattern(p.type === 'RestElement' ? (p.argument as AnyNode) : (p.value as AnyNode), into);
      }
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) namesOfPattern(e, into);
      break;
    case 'AssignmentPattern':
      namesOfPattern(pattern.left as AnyNode, into);
      break;
    case 'RestElement':
      namesOfPattern(pattern.argument as AnyNode, into);
      break;
  }
  return into;
}

/** The names a node declares, if it declares any. */
function declaredNames(node: AnyNode): string[] {
  switch (node.type) {
    case 'VariableDeclarator':
      return namesOfPattern(node.id as AnyNode, []);
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return (node.params as AnyNode[]).reduce(
        (names, p) => namesOfPattern(p, names),
        namesOfPattern(node.id as AnyNode | null, []),
      );
    case 'ClassDeclaration':
    case 'ClassExpression':
      return namesOfPattern(node.id as AnyNode | null, []);
    case 'CatchClause':
      return namesOfPattern(node.param as AnyNode | null, []);
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
      return namesOfPattern(node.local as AnyNode, []);
    default:
      return [];
  }
}

/** Top-level `const <name> = "<string>"` declarations, exported or not. */
function stringConstants(program: AnyNode): Map<string, StringConstant> {
  const constants = new Map<string, StringConstant>();
  // Whether every statement so far was an import or a declaration of string constants only.
  let nothingRanYet = true;
  for (const statement of program.body as AnyNode[]) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' ? (statement.declaration as AnyNode | null) : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') {
      if (statement.type !== 'ImportDeclaration') nothingRanYet = false;
      continue;
    }
    let onlyStrings = true;
    for (const d of declaration.declarations as AnyNode[]) {
      const id = d.id as AnyNode;
      const init = d.init as AnyNode | null;
      if (id.type !== 'Identifier' || init?.type !== 'Literal' || typeof init.value !== 'string') {
        onlyStrings = false;
        continue;
      }
      constants.set((id as unknown as Identifier).name, {
        raw: init.raw as string,
        value: init.value,
        declaredAt: d.end,
        setFirst: nothingRanYet && onlyStrings,
      });
    }
    if (!onlyStrings) nothingRanYet = false;
  }
  return constants;
}

/** Where code runs later than the statement it is written in: function bodies and class bodies. */
const DEFERRED = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassBody',
]);

/** The source ranges of every function and class body, to tell whether a key is inside one. */
function deferredRanges(nodes: readonly AnyNode[]): { start: number; end: number }[] {
  return nodes.filter((n) => DEFERRED.has(n.type)).map((n) => ({ start: n.start, end: n.end }));
}

const WHITESPACE = /^\s*$/;

/**
 * The rewrite itself, on a module's source: each object-literal computed key that names a same-file
 * top-level string constant becomes that constant's literal. Throws if the source does not parse as
 * an ES module.
 */
export function literalSchemaKeys(source: string): SchemaKeysResult {
  const program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as AnyNode;
  const constants = stringConstants(program);

  const nodes = [...nodesOf(program)];
  // A name bound more than once (the constant and a parameter, say) could be shadowed where it is used.
  const bindings = new Map<string, number>();
  for (const node of nodes) {
    for (const name of declaredNames(node)) bindings.set(name, (bindings.get(name) ?? 0) + 1);
  }

  const deferred = deferredRanges(nodes);
  const replacements: { start: number; end: number; text: string }[] = [];
  let left = 0;
  for (const node of nodes) {
    if (node.type !== 'ObjectExpression') continue;
    const runsLater = deferred.some((r) => r.start <= node.start && node.end <= r.end);
    for (const member of node.properties as AnyNode[]) {
      if (member.type !== 'Property' || !(member as unknown as Property).computed) continue;
      const property = member as unknown as Property & { key: AnyNode };
      const replacement = literalKeyOf(source, property, constants, bindings, runsLater);
      if (replacement) replacements.push(replacement);
      else left++;
    }
  }

  let code = '';
  let at = 0;
  for (const r of replacements.sort((a, b) => a.start - b.start)) {
    code += source.slice(at, r.start) + r.text;
    at = r.end;
  }
  code += source.slice(at);
  return { code, rewritten: replacements.length, left };
}

/** The literal key that replaces `[name]` in this property, or undefined if it stays as written. */
function literalKeyOf(
  source: string,
  property: Property & { key: AnyNode },
  constants: ReadonlyMap<string, StringConstant>,
  bindings: ReadonlyMap<string, number>,
  runsLater: boolean,
): { start: number; end: number; text: string } | undefined {
  if (property.kind !== 'init' || property.method || property.key.type !== 'Identifier') return undefined;
  const { name } = property.key as unknown as Identifier;
  const constant = constants.get(name);
  if (!constant || bindings.get(name) !== 1) return undefined;
  // Before its declaration the name is in its temporal dead zone: the original throws there. Inside a
  // function the order of the text says nothing, unless the constant was set before any code ran.
  if (property.key.start < constant.declaredAt && !(runsLater && constant.setFirst)) return undefined;
  if (runsLater && !constant.setFirst) return undefined;
  if (constant.value === '__proto__') return undefined;
  // `[`, the name, `]`, with nothing but whitespace around the name (no comment, no parentheses).
  const open = property.start;
  const close = source.indexOf(']', property.key.end);
  if (source[open] !== '[' || close < 0) return undefined;
  if (!WHITESPACE.test(source.slice(open + 1, property.key.start))) return undefined;
  if (!WHITESPACE.test(source.slice(property.key.end, close))) return undefined;
  return { start: open, end: close + 1, text: constant.raw };
}

/**
 * The plugin: rewrites the SDK's schema modules as they load (SDK_SCHEMA_FILE), and fails the build on
 * one that has computed keys none of which it can rewrite, since the SDK's output then changed shape.
 */
export function sdkSchemaKeys(): Plugin {
  return {
    name: 'sdk-schema-keys',
    setup(build) {
      build.onLoad({ filter: SDK_SCHEMA_FILE }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const { code, rewritten, left } = literalSchemaKeys(source);
        if (rewritten === 0 && left > 0) {
          return {
            errors: [
              {
                text:
                  `${left} computed keys in this SDK schema module, none of them a same-file string ` +
                  'constant: the generated code changed shape, so infra/sdk-schema-keys.ts no longer ' +
                  'helps. See whether aws/aws-sdk-js-v3#7607 is fixed in this SDK version (then remove ' +
                  'the plugin) or adapt the rewrite.',
                location: { file: path },
              },
            ],
          };
        }
        // Nothing to rewrite (the SDK ships literal keys): esbuild loads the file itself.
        if (rewritten === 0) return undefined;
        return { contents: code, loader: 'js' };
      });
    },
  };
}

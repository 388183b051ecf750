/**
 * infra/sdk-schema-keys.ts: the rewrite on small sources (what it rewrites, what it leaves, and that
 * both evaluate alike), the plugin in an esbuild build (it lets esbuild drop unused schemas, and fails
 * the build when it can no longer help), and on the real SDK: for each client this project bundles,
 * the schema module's exports are the same values with and without the rewrite.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/paths';
import { literalSchemaKeys, SDK_SCHEMA_FILE, sdkSchemaKeys } from '../../infra/sdk-schema-keys';

const temp = mkdtempSync(join(tmpdir(), 'sdk-schema-keys-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Evaluates a module-shaped source (no import or export) in strict mode and returns `o`. */
const evaluate = (code: string): unknown => new Function(`"use strict";\n${code}\nreturn o;`)();

describe('the rewrite', () => {
  it('writes a computed key over a top-level string constant as that string, and nothing else', () => {
    const source = [
      'const _h = "http";',
      "const _q = 'httpQuery';",
      'const n0 = "com.example";',
      'const o = { [_h]: ["PUT", "/?analytics", 200], [ _q ]: "x", nested: { [_h]: { [_q]: 1 } }, n0 };',
    ].join('\n');
    const { code, rewritten, left } = literalSchemaKeys(source);
    expect(code).toBe(
      [
        'const _h = "http";',
        "const _q = 'httpQuery';",
        'const n0 = "com.example";',
        `const o = { "http": ["PUT", "/?analytics", 200], 'httpQuery': "x", nested: { "http": { 'httpQuery': 1 } }, n0 };`,
      ].join('\n'),
    );
    expect({ rewritten, left }).toEqual({ rewritten: 4, left: 0 });
    expect(evaluate(code)).toEqual(evaluate(source));
  });

  it('resolves exported constants too', () => {
    const { code, rewritten } = literalSchemaKeys(
      'export const _e = "error";\nexport var X = { [_e]: "client" };',
    );
    expect(rewritten).toBe(1);
    expect(code).toContain('{ "error": "client" }');
  });

  it('leaves every computed key it cannot prove to be a same-file string constant', () => {
    const source = [
      'let _l = "let";',
      'var _v = "var";',
      'const _n = 5;',
      'const _t = `template`;',
      'const _a = "a", _b = "b";',
      'const o = {',
      '  [_l]: 1,', // not a const
      '  [_v]: 2,', // not a const
      '  [_n]: 3,', // not a string
      '  [_t]: 4,', // a template, not a string literal
      '  [_a + _b]: 5,', // an expression
      '  [typeof _undeclared]: 6,', // not a name
      '  [(_a)]: 7,', // parentheses inside the brackets
      '  [/* why */ _a]: 8,', // a comment inside the brackets
      '  [_b]: 9,', // the one key that is rewritten
      '};',
    ].join('\n');
    const { code, rewritten, left } = literalSchemaKeys(source);
    expect({ rewritten, left }).toEqual({ rewritten: 1, left: 8 });
    expect(code).toBe(source.replace('[_b]: 9', '"b": 9'));
    expect(evaluate(code)).toEqual(evaluate(source));
  });

  it('leaves a name that is bound again anywhere in the file, since it could be shadowed', () => {
    const source = [
      'const _h = "http";',
      'const _e = "error";',
      'function f(_h) { return { [_h]: 1, [_e]: 2 }; }',
      'const o = [{ [_h]: 0 }, f("shadowed")];',
    ].join('\n');
    const { code, rewritten, left } = literalSchemaKeys(source);
    // _h is also a parameter: left everywhere. _e is bound once: rewritten.
    expect({ rewritten, left }).toEqual({ rewritten: 1, left: 2 });
    expect(evaluate(code)).toEqual([{ http: 0 }, { shadowed: 1, error: 2 }]);
    expect(evaluate(code)).toEqual(evaluate(source));
  });

  it('leaves "__proto__", whose literal key would set the prototype instead of making a property', () => {
    const source = 'const _p = "__proto__";\nconst o = { [_p]: { polluted: true } };';
    const { code, rewritten, left } = literalSchemaKeys(source);
    expect({ code, rewritten, left }).toEqual({ code: source, rewritten: 0, left: 1 });
    const o = evaluate(code) as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
  });

  it('leaves a use before the constant is declared, which throws as written', () => {
    const source =
      'const o = (() => { try { return { [_late]: 1 }; } catch { return "tdz"; } })();\nconst _late = "x";';
    const { code, rewritten, left } = literalSchemaKeys(source);
    expect({ code, rewritten, left }).toEqual({ code: source, rewritten: 0, left: 1 });
    expect(evaluate(code)).toBe('tdz');
  });

  it('leaves a key in a function that may run before its constant is set, and rewrites one that cannot', () => {
    // f is hoisted and runs before _h is set: the original throws there.
    const early = 'const o = f();\nconst _h = "http";\nfunction f() { return { [_h]: 1 }; }\nexport { o };';
    expect(literalSchemaKeys(early)).toEqual({ code: early, rewritten: 0, left: 1 });
    expect(() => evaluate(early.replace('export { o };', ''))).toThrow(ReferenceError);
    // Only imports and string constants before _h: no code of the module can run before it is set.
    const safe = 'import "node:path";\nconst _h = "http";\nexport const f = () => ({ [_h]: 1 });';
    expect(literalSchemaKeys(safe)).toMatchObject({ rewritten: 1, left: 0 });
    expect(literalSchemaKeys(safe).code).toContain('({ "http": 1 })');
  });

  it('leaves methods, accessors, class members and destructuring patterns', () => {
    const source = [
      'const _m = "m";',
      'class C { [_m]() { return 1; } static [_m] = 2; }',
      'const { [_m]: picked } = { m: 3 };',
      'const o = { [_m]() { return 4; }, get [_m]() { return 5; }, c: new C()[_m](), s: C[_m], picked };',
    ].join('\n');
    const { code, rewritten } = literalSchemaKeys(source);
    expect({ code, rewritten }).toEqual({ code: source, rewritten: 0 });
  });

  it('never touches strings, templates, regular expressions or comments that look like keys', () => {
    const source = [
      'const _h = "http";',
      '// { [_h]: "line comment" }',
      '/* { [_h]: "block comment" } */',
      'const o = {',
      '  double: "{ [_h]: 1 }",',
      "  single: '[_h]:',",
      '  template: `[_h]: ${_h} { [_h]: 2 }`,',
      '  regex: /[_h]:/.source,',
      '};',
    ].join('\n');
    const { code, rewritten, left } = literalSchemaKeys(source);
    expect({ code, rewritten, left }).toEqual({ code: source, rewritten: 0, left: 0 });
  });

  it('refuses a source that is not an ES module, rather than guess', () => {
    expect(() => literalSchemaKeys('const o = { [_h]: ;')).toThrow(SyntaxError);
  });
});

/** A fake client's schema module at a path the plugin rewrites, and an entry that uses one export. */
function fakeClient(name: string, schema: string): { entry: string; schemaFile: string } {
  const dir = join(temp, name, 'node_modules', '@aws-sdk', 'client-fake', 'dist-es', 'schemas');
  mkdirSync(dir, { recursive: true });
  const schemaFile = join(dir, 'schemas_0.js');
  writeFileSync(schemaFile, schema);
  const entry = join(temp, name, 'entry.js');
  writeFileSync(entry, `import { Used$ } from ${JSON.stringify(schemaFile)};\nconsole.log(Used$);\n`);
  return { entry, schemaFile };
}

const bundle = async (entry: string, plugins: Plugin[]): Promise<string> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0]!.text;
};

describe('the plugin', () => {
  const SCHEMA = [
    'const _h = "http";',
    'const _e = "error";',
    'const _U = "Used";',
    'const _N = "NeverUsed";',
    'export var Used$ = [9, _U, { [_h]: ["GET", "/used", 200] }];',
    'export var NeverUsed$ = [9, _N, { [_h]: ["PUT", "/never-used", 200], [_e]: "client" }];',
  ].join('\n');

  it('rewrites the SDK schema modules only, by path', () => {
    const sdk = join('node_modules', '@aws-sdk', 'client-s3', 'dist-es', 'schemas');
    expect(SDK_SCHEMA_FILE.test(join(ROOT, sdk, 'schemas_0.js'))).toBe(true);
    expect(SDK_SCHEMA_FILE.test(join(ROOT, sdk, 'schemas_12.js'))).toBe(true);
    expect(
      SDK_SCHEMA_FILE.test(`C:\\p\\node_modules\\@aws-sdk\\client-s3\\dist-es\\schemas\\schemas_0.js`),
    ).toBe(true);
    // The CommonJS build is one file per client, and not what the functions bundle (mainFields module).
    expect(
      SDK_SCHEMA_FILE.test(join(ROOT, 'node_modules', '@aws-sdk', 'client-s3', 'dist-cjs', 'index.js')),
    ).toBe(false);
    expect(
      SDK_SCHEMA_FILE.test(
        join(ROOT, 'node_modules', '@smithy', 'core', 'dist-es', 'schemas', 'schemas_0.js'),
      ),
    ).toBe(false);
  });

  it('lets esbuild drop the schemas nothing uses, which it keeps without the plugin', async () => {
    const { entry } = fakeClient('shakes', SCHEMA);
    const without = await bundle(entry, []);
    const withPlugin = await bundle(entry, [sdkSchemaKeys()]);
    expect(without).toContain('/never-used');
    expect(withPlugin).not.toContain('/never-used');
    expect(withPlugin).toContain('/used');
  });

  it('fails the build, naming the module, when it has computed keys and can rewrite none', async () => {
    const { entry, schemaFile } = fakeClient(
      'changed-shape',
      'export const traits = (k) => ({ [k]: 1 });\nexport var Used$ = traits("http");',
    );
    const failure = bundle(entry, [sdkSchemaKeys()]);
    await expect(failure).rejects.toThrow(/none of them a same-file string constant/);
    // esbuild names the file relative to its working directory: compare where it points, not the text.
    const error = (await failure.catch((e: unknown) => e)) as {
      errors: { location: { file: string } | null }[];
    };
    expect(realpathSync(resolve(error.errors[0]!.location!.file))).toBe(realpathSync(schemaFile));
  });

  it('leaves a module with no computed key to esbuild (the SDK fix has shipped)', async () => {
    const { entry } = fakeClient(
      'fixed',
      'export var Used$ = [9, "Used", { "http": ["GET", "/used", 200] }];',
    );
    expect(await bundle(entry, [sdkSchemaKeys()])).toBe(await bundle(entry, []));
  });
});

/** The SDK clients the functions bundle (functions/runtime/clients.ts and client-secret.ts). */
const CLIENTS = ['cognito-identity-provider', 'dynamodb', 's3', 'secrets-manager'] as const;

const schemaFilesOf = (client: string): string[] => {
  const dir = join(ROOT, 'node_modules', '@aws-sdk', `client-${client}`, 'dist-es', 'schemas');
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((f) => SDK_SCHEMA_FILE.test(f));
};

/**
 * A value as plain data that deep-equals across two copies of a module: a function that is one of the
 * module's exports becomes its export name; a class (the SDK's error classes), its name; a lazy schema
 * reference (`() => Foo$`), what it returns. Objects keep their class name and key order; a value met
 * again on the way down becomes a back-reference, so the schemas' cycles end.
 */
function plain(value: unknown, exports: Map<unknown, string>, path: unknown[] = []): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  const seen = path.indexOf(value);
  if (seen >= 0) return { backTo: path.length - seen };
  if (exports.has(value) && path.length > 0) return { export: exports.get(value) };
  const below = [...path, value];
  if (typeof value === 'function') {
    const source = Function.prototype.toString.call(value);
    if (source.startsWith('class')) return { class: value.name };
    if (source.startsWith('()')) return { lazy: plain((value as () => unknown)(), exports, below), source };
    return { function: source };
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, exports, below));
  if (value instanceof Map)
    return { map: [...value].map(([k, v]) => [plain(k, exports, below), plain(v, exports, below)]) };
  return {
    class: (value as object).constructor?.name,
    keys: Object.keys(value),
    values: Object.values(value).map((v) => plain(v, exports, below)),
  };
}

describe('on the real SDK: the schema modules export the same values rewritten', () => {
  for (const client of CLIENTS) {
    it(`@aws-sdk/client-${client}`, async () => {
      const files = schemaFilesOf(client);
      expect(files.length, 'its dist-es/schemas modules').toBeGreaterThan(0);
      for (const file of files) {
        // The installed SDK still writes computed keys. When this fails, the fix of aws/aws-sdk-js-v3#7607
        // has shipped: infra/sdk-schema-keys.ts can go.
        const { rewritten } = literalSchemaKeys(readFileSync(file, 'utf8'));
        expect(rewritten, `${file}: computed keys over string constants`).toBeGreaterThan(0);

        // Each way its own self-contained bundle, unminified, the plugin the only difference.
        const loaded: Record<string, unknown>[] = [];
        for (const plugins of [[], [sdkSchemaKeys()]]) {
          const outfile = join(temp, 'real', client, `${plugins.length ? 'rewritten' : 'original'}.mjs`);
          const result = await build({
            stdin: { contents: `export * from ${JSON.stringify(file)};`, resolveDir: dirname(file) },
            bundle: true,
            format: 'esm',
            platform: 'node',
            mainFields: ['module', 'main'],
            outfile,
            logLevel: 'silent',
            metafile: true,
            plugins,
          });
          expect(Object.keys(result.metafile.inputs).some((i) => SDK_SCHEMA_FILE.test(i))).toBe(true);
          loaded.push((await import(pathToFileURL(outfile).href)) as Record<string, unknown>);
        }
        const [original, rewrittenModule] = loaded as [Record<string, unknown>, Record<string, unknown>];
        expect(readFileSync(join(temp, 'real', client, 'rewritten.mjs'), 'utf8')).not.toBe(
          readFileSync(join(temp, 'real', client, 'original.mjs'), 'utf8'),
        );
        expect(Object.keys(rewrittenModule).sort()).toEqual(Object.keys(original).sort());
        const namesOf = (m: Record<string, unknown>) =>
          new Map(Object.entries(m).map(([name, v]) => [v, name] as const));
        const unequal = Object.keys(original).filter(
          (name) =>
            !isDeepStrictEqual(
              plain(original[name], namesOf(original)),
              plain(rewrittenModule[name], namesOf(rewrittenModule)),
            ),
        );
        expect(unequal, `${file}: exports that differ`).toEqual([]);
        expect(Object.keys(original).length).toBeGreaterThan(10);
      }
    });
  }
});

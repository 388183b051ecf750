/**
 * Bundles each resolver as AWS documents for APPSYNC_JS: ESM, one file per resolver,
 * `@aws-appsync/*` external (the runtime provides it). The CDK stack deploys these files and the
 * local AppSync runs the very same files.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { resolverAuthProblems } from './resolver-checks';
import { readLocalSchemaSDL, RESOLVERS_DIR, RESOLVER_BUNDLES_DIR } from './paths';
import { wiringProblems } from './wiring-checks';
import { OPERATIONS, resolverFileOf } from './wiring';

export const bundlePathOf = (name: string, outDir = RESOLVER_BUNDLES_DIR): string =>
  join(outDir, `${name}.js`);

/** Bundles one resolver source file to `outFile`. */
export function bundleResolver(entry: string, outFile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['@aws-appsync/*'],
    logLevel: 'error',
  });
}

const refuse = (what: string, problems: readonly string[]): never => {
  throw new Error(`${what}:\n  - ${problems.join('\n  - ')}`);
};

/**
 * Checks the wiring, bundles every resolver, then checks each bundle's request against its field's
 * auth directives. Throws with every problem at once.
 */
export function buildResolvers(outDir = RESOLVER_BUNDLES_DIR): string[] {
  const problems = wiringProblems();
  if (problems.length > 0) refuse('The wiring is inconsistent', problems);
  mkdirSync(outDir, { recursive: true });
  const bundles = OPERATIONS.map((o) => {
    const name = resolverFileOf(o);
    const bundlePath = bundlePathOf(name, outDir);
    bundleResolver(join(RESOLVERS_DIR, `${name}.ts`), bundlePath);
    return { typeName: o.typeName, fieldName: o.fieldName, bundlePath };
  });
  const auth = resolverAuthProblems(readLocalSchemaSDL(), bundles);
  if (auth.length > 0) refuse("A resolver disagrees with its field's auth in the schema", auth);
  return bundles.map((b) => b.bundlePath);
}

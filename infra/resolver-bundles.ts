/**
 * Bundles each resolver as AWS documents for APPSYNC_JS: ESM, one file per resolver,
 * `@aws-appsync/*` external (the runtime provides it). The CDK stack deploys these files and the
 * local AppSync runs the very same files.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { RESOLVERS_DIR, RESOLVER_BUNDLES_DIR, wiringProblems } from './schema';
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

/** Checks the wiring, then bundles every resolver. Throws with every problem at once. */
export function buildResolvers(outDir = RESOLVER_BUNDLES_DIR): string[] {
  const problems = wiringProblems();
  if (problems.length > 0) {
    throw new Error(`The wiring is inconsistent:\n  - ${problems.join('\n  - ')}`);
  }
  mkdirSync(outDir, { recursive: true });
  return OPERATIONS.map((o) => {
    const name = resolverFileOf(o);
    const out = bundlePathOf(name, outDir);
    bundleResolver(join(RESOLVERS_DIR, `${name}.ts`), out);
    return out;
  });
}

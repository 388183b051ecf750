/**
 * Bundles one function with esbuild's JS API: the options of function-bundling.ts, plus the plugin of
 * sdk-schema-keys.ts, writing `index.mjs` (and its map, if the options ask for one) into a folder.
 *
 * Run as a child process by function-code.ts (`node --import tsx infra/bundle-function.ts`, the request
 * as JSON on standard input): the CDK asks for a bundle synchronously, and esbuild's synchronous
 * buildSync takes no plugins. esbuild reports warnings and errors on standard error; the exit code is 1
 * when the build failed.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FunctionBuildOptions } from './function-bundling';
import { sdkSchemaKeys } from './sdk-schema-keys';

export interface BundleRequest {
  /** The handler module (TypeScript), absolute. */
  readonly entry: string;
  /** Where `index.mjs` goes. */
  readonly outdir: string;
  /** esbuild's working directory: the project root, where packages and tsconfig.json are found. */
  readonly workingDir: string;
  readonly options: FunctionBuildOptions;
}

/** The output file a function's handler `index.handler` names. */
export const BUNDLE_FILE = 'index.mjs';

export async function bundleFunction(request: BundleRequest): Promise<void> {
  await build({
    ...request.options,
    entryPoints: [request.entry],
    outfile: join(request.outdir, BUNDLE_FILE),
    absWorkingDir: request.workingDir,
    plugins: [sdkSchemaKeys()],
    logLevel: 'warning',
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isMain = (): boolean => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (isMain()) {
  try {
    await bundleFunction(JSON.parse(await readStdin()) as BundleRequest);
  } catch (error) {
    // esbuild has already printed a failed build's messages (logLevel 'warning'); anything else is ours.
    if (!(error instanceof Error && 'errors' in error)) {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

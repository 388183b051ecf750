/**
 * A function's code as the stack deploys it: an asset bundled on this machine by esbuild with the
 * options of function-bundling.ts and the plugin of sdk-schema-keys.ts, hashed from its output.
 *
 * The CDK's NodejsFunction runs the esbuild CLI, which takes no plugins; this is the same bundling
 * through esbuild's JS API instead. The CDK asks for a bundle synchronously (ILocalBundling.tryBundle)
 * and esbuild's buildSync takes no plugins either, so each bundle is built in a child Node process
 * (bundle-function.ts) that this process waits for.
 *
 * Never Docker: `npm run synth` works on a laptop with no daemon. tryBundle never declines, so the CDK
 * never falls back to its Docker bundling; a failed build fails the synthesis with esbuild's messages.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { BundleRequest } from './bundle-function';
import type { FunctionBuildOptions } from './function-bundling';
import { ROOT } from './paths';

const BUNDLER = join(ROOT, 'infra', 'bundle-function.ts');
/** One bundle takes about a second; past this the bundler hangs, and synth must not hang with it. */
const BUNDLE_TIMEOUT_MS = 5 * 60_000;

/**
 * Bundles one function into `outdir` (`index.mjs`, and `index.mjs.map` with source maps) and waits for
 * it. Throws with esbuild's messages if the build fails; its warnings go to this process's stderr.
 */
export function bundleFunctionSync(request: BundleRequest): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', BUNDLER], {
    // tsx and esbuild are resolved from the project, whatever directory the CDK was started in.
    cwd: ROOT,
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: BUNDLE_TIMEOUT_MS,
  });
  // Anything the bundler printed (esbuild's warnings) stays out of the caller's standard output.
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error || run.status !== 0) {
    const why = run.error?.message ?? (run.signal ? `stopped by ${run.signal}` : `exit code ${run.status}`);
    throw new Error(`could not bundle ${request.entry} (${why}):\n${output.trim()}`);
  }
  if (output.trim()) process.stderr.write(output);
}

/**
 * The CDK's side of the bundling: its fields (the entry, the options, the working directory) are part
 * of the asset's cache key, so two functions never share a bundle by mistake.
 */
export class LocalFunctionBundling implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly options: FunctionBuildOptions,
    readonly workingDir: string = ROOT,
  ) {}

  tryBundle(outputDir: string): boolean {
    bundleFunctionSync({
      entry: this.entry,
      outdir: outputDir,
      workingDir: this.workingDir,
      options: this.options,
    });
    return true;
  }
}

/** The image the CDK would run if local bundling declined, which it never does (see above). */
const NO_DOCKER = DockerImage.fromRegistry('local-bundling-only');

/** A function's code: `index.mjs` (handler `index.handler`), bundled locally, hashed from the output. */
export function functionCode(entry: string, options: FunctionBuildOptions, workingDir: string = ROOT): Code {
  return Code.fromAsset(workingDir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: { image: NO_DOCKER, local: new LocalFunctionBundling(entry, options, workingDir) },
  });
}

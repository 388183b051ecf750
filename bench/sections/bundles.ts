/**
 * Function bundles as the CDK builds them, and their cold load.
 *
 * The dev stack is synthesized as `npm run synth` does (in a child process, so esbuild's output stays
 * out of the table), and every function's bundle is weighed as the stack deploys it. Cold load is a
 * fresh Node process that runs the bundle with the function's own environment from the template (its
 * clients are built while it loads, as in Lambda's init), against a fresh `node -e ''` run just before
 * it: interleaved round by round, medians. Both inherit this shell's environment (less NODE_OPTIONS), as
 * a `node -e ''` typed here would; the note says what an empty Node costs with PATH alone, since an
 * inherited NODE_EXTRA_CA_CERTS, for one, makes Node parse a certificate bundle at every start. No
 * network: nothing is called.
 *
 * The stack bundles every function with esbuild and the plugin of infra/sdk-schema-keys.ts
 * (infra/function-code.ts), so the SDK clients' schemas are tree-shaken; what is weighed here is that.
 *
 * For comparison, the lightest and the heaviest function are also bundled with the SDK left to the
 * runtime (the stack's options and bundler, with @aws-sdk/* and @smithy/* external), and load the SDK
 * from this project's node_modules as Lambda's runtime would load its own copy.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, type BenchOptions, type Section, type SectionResult } from '../section';

const THIS_FILE = fileURLToPath(import.meta.url);
const MAX_BUNDLE_BYTES = 300 * 1024;
const MAX_COLD_LOAD_RATIO = 2;

/** One function as the synthesized stack deploys it. */
interface Built {
  readonly name: string;
  readonly sdk: 'bundled' | 'runtime';
  readonly clients: string;
  readonly bundle: string;
  readonly env: Record<string, string>;
}

/** The parts of a synthesized template read here. */
interface Template {
  readonly Resources: Record<
    string,
    {
      readonly Type: string;
      readonly Properties: {
        readonly FunctionName?: string;
        readonly Code: { readonly S3Key: string };
        readonly Environment?: { readonly Variables?: Record<string, unknown> };
      };
    }
  >;
}

/** Child-process side: synthesize, then print what the parent needs as one JSON line. */
async function synthesize(outdir: string): Promise<void> {
  const { App } = await import('aws-cdk-lib');
  const { BUNDLE_FILE } = await import('../../infra/bundle-function');
  const { createApp } = await import('../../infra/cdk-app');
  const { bundleFunctionSync } = await import('../../infra/function-code');
  const { clientsOf, functionBundling } = await import('../../infra/function-bundling');
  const { settingsFor } = await import('../../infra/settings');
  const { FUNCTIONS_DIR, ROOT } = await import('../../infra/paths');
  const { handlerPathOf } = await import('../../infra/stack');
  const { OPERATIONS } = await import('../../infra/wiring');
  const settings = settingsFor('dev');

  const app = new App({ outdir: join(outdir, 'stack'), context: { env: 'dev' } });
  const { stack } = createApp({ app, resolverBundlesDir: join(outdir, 'resolvers') });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as Template;
  const clientsByName = new Map<string, string>([
    ...OPERATIONS.map((o) => [`${settings.name}-${o.functionName}`, clientsOf(o, true).join(' ')] as const),
    [`${settings.name}-sweepOrphans`, 's3'],
  ]);
  const built: Built[] = [];
  for (const resource of Object.values(template.Resources)) {
    const props = resource.Properties;
    if (resource.Type !== 'AWS::Lambda::Function' || !props.FunctionName) continue;
    built.push({
      name: props.FunctionName.replace(`${settings.name}-`, ''),
      sdk: 'bundled',
      clients: `cognito ${clientsByName.get(props.FunctionName) ?? ''}`.trim(),
      bundle: join(assembly.directory, `asset.${props.Code.S3Key.replace('.zip', '')}`, BUNDLE_FILE),
      env: lambdaEnvironment(props.Environment?.Variables ?? {}, settings.region),
    });
  }

  // The same options with the SDK left to the runtime, for the lightest and the heaviest function,
  // bundled by the same code the stack's assets are (infra/function-code.ts).
  const bySize = [...built].sort((a, b) => statSync(a.bundle).size - statSync(b.bundle).size);
  for (const b of [bySize[0]!, bySize[bySize.length - 1]!]) {
    const operation = OPERATIONS.find((o) => o.functionName === b.name);
    const clients = operation ? clientsOf(operation, true) : (['s3'] as const);
    const dir = join(outdir, 'runtime-sdk', b.name);
    bundleFunctionSync({
      entry: operation ? handlerPathOf(operation) : join(FUNCTIONS_DIR, 'sweepOrphans', 'handler.ts'),
      outdir: dir,
      workingDir: ROOT,
      options: { ...functionBundling(settings, [...clients]), external: ['@aws-sdk/*', '@smithy/*'] },
    });
    built.push({ ...b, sdk: 'runtime', bundle: join(dir, BUNDLE_FILE) });
  }
  process.stdout.write(`${JSON.stringify(built)}\n`);
}

/**
 * The function's environment as Lambda gives it: the template's variables, with placeholders for the
 * names CloudFormation fills in at deploy time, plus the region and keys Lambda itself sets.
 */
function lambdaEnvironment(variables: Record<string, unknown>, region: string): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_SESSION_TOKEN: 'benchmark',
  };
  for (const [name, value] of Object.entries(variables)) {
    env[name] = typeof value === 'string' ? value : `bench-${name.toLowerCase().replace(/_/g, '-')}`;
  }
  return env;
}

/** Milliseconds from spawning a fresh Node process to its exit. */
function timed(args: readonly string[], env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr || run.error?.message}`);
  return ms;
}

const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;

async function run({ quick, progress }: BenchOptions): Promise<SectionResult> {
  const root = resolve(THIS_FILE, '../../..');
  // Under the project, so the runtime-SDK bundles find this project's SDK as they would the runtime's.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, 'bench-bundles-'));
  try {
    progress('bundles: synthesizing the dev stack as `npm run synth` does');
    const synthStarted = Date.now();
    const synth = spawnSync(process.execPath, ['--import', 'tsx', THIS_FILE, '--synthesize', outdir], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    if (synth.status !== 0) throw new Error(`synthesis failed:\n${synth.stderr}`);
    progress(`bundles: synthesized in ${Math.round((Date.now() - synthStarted) / 1000)} s`);
    const built = JSON.parse(synth.stdout.trim().split('\n').pop()!) as Built[];

    // Every environment is one the function's configuration accepts, so loading builds its clients.
    const { readConfig } = await import('../../functions/runtime/config');
    for (const b of built) readConfig(b.env);

    const loadBefore = loadavg()[0]!;
    const rounds = quick ? 3 : 7;
    const { NODE_OPTIONS: _ignored, ...baseEnv } = process.env as Record<string, string>;
    const bareEnv = { PATH: process.env.PATH ?? '' };
    const bare: number[] = [];
    // Each function's runs are paired with an empty Node run just before, so both see the same load.
    const times = new Map<Built, { empty: number[]; bundle: number[] }>(
      built.map((b) => [b, { empty: [], bundle: [] }]),
    );
    // Round 0 is discarded: it warms the file cache for everyone alike.
    for (let round = 0; round <= rounds; round++) {
      progress(round === 0 ? 'bundles: warm-up round' : `bundles: cold-load round ${round}/${rounds}`);
      const bareRun = timed(['-e', ''], bareEnv);
      if (round > 0) bare.push(bareRun);
      for (const b of built) {
        const empty = timed(['-e', ''], baseEnv);
        const bundle = timed([b.bundle], { ...baseEnv, ...b.env });
        if (round === 0) continue;
        times.get(b)!.empty.push(empty);
        times.get(b)!.bundle.push(bundle);
      }
    }

    const load = Math.max(loadBefore, loadavg()[0]!);
    const emptyMedian = percentile(
      [...times.values()].flatMap((t) => t.empty),
      50,
    );
    const rows = built.map((b) => {
      const t = times.get(b)!;
      const median = percentile(t.bundle, 50);
      return {
        function: b.name,
        sdk: b.sdk,
        clients: b.clients,
        'bundle KB': kb(statSync(b.bundle).size),
        'cold load ms': Math.round(median * 10) / 10,
        '× empty Node': Math.round((median / percentile(t.empty, 50)) * 100) / 100,
      };
    });
    const deployed = rows.filter((r) => r.sdk === 'bundled');
    const largest = deployed.reduce((a, b) => (b['bundle KB'] > a['bundle KB'] ? b : a));
    const slowest = deployed.reduce((a, b) => (b['× empty Node'] > a['× empty Node'] ? b : a));
    const overSize = deployed.filter((r) => r['bundle KB'] * 1024 > MAX_BUNDLE_BYTES).map((r) => r.function);
    const overLoad = deployed.filter((r) => r['× empty Node'] > MAX_COLD_LOAD_RATIO).map((r) => r.function);
    return {
      title: 'Function bundles and cold load (dev stack as CDK builds it)',
      columns: ['function', 'sdk', 'clients', 'bundle KB', 'cold load ms', '× empty Node'],
      rows,
      targets: [
        {
          name: `largest function bundle (${largest.function}), KB`,
          value: largest['bundle KB'],
          limit: MAX_BUNDLE_BYTES / 1024,
          kind: 'max',
          unit: 'KB',
        },
        {
          name: `slowest cold load (${slowest.function}), × a fresh node -e ''`,
          value: slowest['× empty Node'],
          limit: MAX_COLD_LOAD_RATIO,
          kind: 'max',
          unit: '×',
        },
      ],
      notes: [
        `Cold load: a fresh Node process running the bundle with its environment from the template (clients built while it loads, as in Lambda's init), median of ${rounds} interleaved rounds, each run next to a fresh node -e '' (median ${Math.round(emptyMedian * 10) / 10} ms; ${Math.round(percentile(bare, 50) * 10) / 10} ms with PATH as its only variable, as on Lambda, where the same bundles would show higher ratios).`,
        `Over ${MAX_BUNDLE_BYTES / 1024} KB: ${overSize.join(', ') || 'none'}. Over ${MAX_COLD_LOAD_RATIO}×: ${overLoad.join(', ') || 'none'}.`,
        `Load average ${load.toFixed(1)} on ${cpus().length} cores during the runs${load > cpus().length ? ': other work competed with these processes, so the timings are inflated and noisy' : ''}.`,
        "Bundled as the stack bundles them (infra/function-code.ts): esbuild with the plugin of infra/sdk-schema-keys.ts, which writes the computed keys of the SDK clients' schema modules as literals so that esbuild can drop the schemas a function does not use (aws/aws-sdk-js-v3#7607); it matters most for S3, whose unused schemas it otherwise keeps in every function with S3.",
        "sdk 'runtime' rows are for comparison only: the same function and options with @aws-sdk/* and @smithy/* left to the runtime, loaded from node_modules as Lambda loads its own copy (whole: nothing of the runtime's SDK is tree-shaken, so the plugin does not apply). The deployed functions bundle the SDK.",
        "Lambda adds its own work around this (download of the code, the runtime's start); a local ratio says nothing about those.",
      ],
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const section: Section = { id: 'bundles', run };
export default section;

if (process.argv[2] === '--synthesize' && resolve(process.argv[1] ?? '') === THIS_FILE) {
  await synthesize(process.argv[3]!);
}

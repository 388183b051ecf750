/**
 * How every function of this API is bundled: the esbuild options, one definition, read by the stack
 * (operation-function.ts, through function-code.ts, which runs esbuild with them and the plugin of
 * sdk-schema-keys.ts) and by the benchmark that measures what it produces.
 */
import type { BuildOptions } from 'esbuild';
import { BUNDLED_CLIENTS, type OptionalClient } from '../functions/runtime/clients';
import type { Settings } from './settings';
import type { Operation } from './wiring';

export type { OptionalClient };

/**
 * The SDK clients a function holds besides Cognito's, from what its wiring row grants: the bucket, the
 * bounds table, a secret. Without the grant the function could not call the service anyway.
 */
export function clientsOf(operation: Operation, hasClientSecret: boolean): OptionalClient[] {
  const clients: OptionalClient[] = [];
  if (Object.keys(operation.bucket).length > 0) clients.push('s3');
  if (operation.guessBounds || operation.mailBounds) clients.push('dynamodb');
  if ((operation.clientSecret && hasClientSecret) || operation.recoveryKey) clients.push('secretsManager');
  return clients;
}

/**
 * The credential providers the SDK's default chain imports on demand, after the environment's: on
 * Lambda the environment always holds the execution role's keys, so they never load. Left out of the
 * bundle (about 130 KB minified) they stay import()s that the runtime's own copies would answer.
 */
export const ON_DEMAND_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@smithy/credential-provider-imds',
] as const;

/**
 * Source maps only when the environment asks for them (settings.functionSourceMaps): a map is larger than
 * the code it maps, and Node's --enable-source-maps makes every cold start slower (about a fifth, on a
 * bundle of this API).
 */
export const sourceMapsOf = (settings: Settings): boolean => settings.functionSourceMaps ?? false;

/** The environment a function needs for its bundling choices: Node reads maps only with this flag. */
export const bundlingEnvironment = (settings: Settings): Record<string, string> =>
  sourceMapsOf(settings) ? { NODE_OPTIONS: '--enable-source-maps' } : {};

/**
 * Event-stream serde, which the SDK's protocols import only for an operation that streams events: none
 * that these functions call. The S3 client imports it up front, so it stays bundled wherever S3 is.
 */
export const ON_DEMAND_EVENT_STREAMS = '@smithy/core/event-streams';

/**
 * The esbuild options of one function, as plain data (no plugins, no paths): bundle-function.ts adds the
 * entry, the output file (`index.mjs`) and the plugin, and function-code.ts makes the options part of the
 * asset's cache key.
 */
export type FunctionBuildOptions = Readonly<
  Pick<
    BuildOptions,
    | 'bundle'
    | 'platform'
    | 'format'
    | 'target'
    | 'mainFields'
    | 'banner'
    | 'minify'
    | 'sourcemap'
    | 'sourcesContent'
    | 'external'
    | 'define'
  >
>;

export function functionBundling(
  settings: Settings,
  clients: readonly OptionalClient[],
): FunctionBuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    // ESM bundles of CommonJS dependencies still call require(): give them one.
    banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
    minify: true,
    sourcemap: sourceMapsOf(settings),
    sourcesContent: false,
    // The SDK inside, not left to the runtime's copy (nothing here marks @aws-sdk/* external): bundled it
    // loads faster (bench/sections/bundles.ts measures both), it is the version the tests ran against,
    // and AWS publishes no SDK version for the Node.js 22 runtime (the Lambda team removed its table,
    // aws/aws-sdk-js-v3#6159), so nothing shows that a recent command such as GetTokensFromRefreshToken
    // (April 2025) is in the runtime's copy.
    external: [
      ...ON_DEMAND_CREDENTIAL_PROVIDERS,
      ...(clients.includes('s3') ? [] : [ON_DEMAND_EVENT_STREAMS]),
    ],
    // Folded by esbuild in functions/runtime/clients.ts: the clients left out are not bundled.
    define: Object.fromEntries(
      (Object.keys(BUNDLED_CLIENTS) as OptionalClient[]).map((c) => [
        BUNDLED_CLIENTS[c],
        JSON.stringify(String(clients.includes(c))),
      ]),
    ),
  };
}

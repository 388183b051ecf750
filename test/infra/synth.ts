/**
 * Synthesis for the infra tests: one app per environment per test file, written to a temp folder
 * that `cleanup()` removes (Template.fromStack would otherwise leave cdk.out* folders behind).
 * No network: synthesis and cdk-nag run in-process, bundling uses the local esbuild.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { createApp } from '../../infra/cdk-app';
import { ROOT } from '../../infra/paths';
import type { Settings } from '../../infra/settings';
import type { AuthApiStack } from '../../infra/stack';
import { OPERATIONS } from '../../infra/wiring';

export interface Synthesized {
  readonly app: App;
  readonly stack: AuthApiStack;
  readonly template: Template;
  /** The cloud assembly folder (templates and assets). */
  readonly outdir: string;
  readonly resolverBundlesDir: string;
  /** cdk-nag AWS Solutions findings that no acknowledgement covers. */
  readonly nagViolations: readonly { ruleName: string; paths: string[] }[];
  cleanup(): void;
}

export interface SynthOptions {
  readonly env: 'dev' | 'staging' | 'prod';
  /** Default: the real functions/ folder. */
  readonly functionsDir?: string;
  readonly settings?: Settings;
}

export function synth(options: SynthOptions): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-test-cdk.out-'));
  const resolverBundlesDir = join(outdir, 'resolver-bundles');
  const app = new App({ outdir, context: { env: options.env } });
  const { stack } = createApp({
    app,
    functionsDir: options.functionsDir,
    resolverBundlesDir,
    settings: options.settings,
  });
  // A second, independent run of the pack gives the findings as data (synthesis would only throw).
  const report = new AwsSolutionsChecks().validateScope(app);
  const nagViolations = report.violations.map((v) => ({
    ruleName: v.ruleName,
    paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
  }));
  // Runs the cdk-nag plugin registered by createApp: it throws on any unacknowledged finding.
  app.synth();
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    outdir,
    resolverBundlesDir,
    nagViolations,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/**
 * A throwaway functions folder with a handler for every wiring row, so per-function properties are
 * proven for all operations whether or not their real handlers exist yet. It lives under
 * node_modules/.cache because esbuild resolves a handler's packages from the handler's folder upwards,
 * so it must be inside the project, and git and the type checker ignore that folder.
 */
export function fixtureFunctionsDir(richHandlerFor?: string): { dir: string; cleanup(): void } {
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'infra-fixture-functions-'));
  for (const o of OPERATIONS) {
    mkdirSync(join(dir, o.functionName), { recursive: true });
    const source =
      o.functionName === richHandlerFor
        ? // Imports what real handlers import (the typed config, zod, an AWS SDK v3 client) so the test
          // can run the bundle in plain Node and see that ESM output, the require shim and the bundled
          // SDK work together, credentials included.
          [
            `import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';`,
            `import { readConfig } from ${JSON.stringify(join(ROOT, 'functions', 'runtime', 'config.ts'))};`,
            `export const handler = async (event: { env: Record<string, string> }) => {`,
            `  const config = readConfig(event.env);`,
            `  const client = new CognitoIdentityProviderClient({ region: config.region });`,
            `  const { accessKeyId } = await client.config.credentials();`,
            `  return { region: await client.config.region(), pool: config.userPoolId, accessKeyId };`,
            `};`,
          ].join('\n')
        : `export const handler = async (): Promise<unknown> => ({ data: null });\n`;
    writeFileSync(join(dir, o.functionName, 'handler.ts'), source);
  }
  // The scheduled sweep is not a GraphQL field, and is deployed whatever the wiring table says.
  mkdirSync(join(dir, 'sweepOrphans'), { recursive: true });
  writeFileSync(join(dir, 'sweepOrphans', 'handler.ts'), `export const handler = async () => ({});\n`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every acknowledged cdk-nag rule in the tree, with its reason and where it was made. */
export function acknowledgements(root: IConstruct): { id: string; reason: string; path: string }[] {
  const found: { id: string; reason: string; path: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ id: id.replace(/^annotation::/i, ''), reason: String(reason), path: c.node.path });
      }
    }
  }
  return found;
}

type Json = Record<string, unknown>;

/** A CloudFormation resource as the template holds it: untyped JSON that the tests walk by key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CfnJson = Record<string, any>;

/**
 * Lookups on the stack a file's beforeAll synthesizes: its one resource of a type (failing if there
 * are none or several) and a construct's logical id.
 */
export function lookups(synthesized: () => Synthesized) {
  return {
    only: (type: string): CfnJson => {
      const found = Object.values(synthesized().template.findResources(type));
      expect(found).toHaveLength(1);
      return found[0] as CfnJson;
    },
    logicalIdOf: (construct: { node: { defaultChild?: unknown } }): string =>
      synthesized().stack.getLogicalId(construct.node.defaultChild as never),
  };
}

/** IAM statements of every policy attached to a role (by logical id), with actions and resources as lists. */
export function statementsOfRole(
  template: Template,
  roleLogicalId: string,
): { actions: string[]; resources: unknown[]; effect: string }[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
  const attached = policies.filter((p) =>
    ((p.Properties as Json).Roles as Json[]).some((r) => r.Ref === roleLogicalId),
  );
  return attached.flatMap((p) =>
    (((p.Properties as Json).PolicyDocument as Json).Statement as Json[]).map((s) => ({
      effect: s.Effect as string,
      actions: ([] as string[]).concat(s.Action as string | string[]),
      resources: ([] as unknown[]).concat(s.Resource),
    })),
  );
}

/**
 * The firewall's two web ACLs (infra/firewall.ts) by what they protect, each with its logical id and
 * the associations that point at it. Fails unless there are exactly those two, named `<env name>-api`
 * and `<env name>-pool`.
 */
export function firewallOf(
  template: Template,
  settings: Settings,
): Record<'api' | 'pool', { id: string; acl: CfnJson; associations: CfnJson[] }> {
  const acls = Object.entries(template.findResources('AWS::WAFv2::WebACL')) as [string, CfnJson][];
  const associations = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation')) as CfnJson[];
  expect(acls.map(([, acl]) => acl.Properties.Name).sort()).toEqual([
    `${settings.name}-api`,
    `${settings.name}-pool`,
  ]);
  const named = (suffix: string) => {
    const [id, acl] = acls.find(([, a]) => a.Properties.Name === `${settings.name}-${suffix}`)!;
    const pointing = associations.filter((a) => a.Properties.WebACLArn?.['Fn::GetAtt']?.[0] === id);
    return { id, acl, associations: pointing };
  };
  return { api: named('api'), pool: named('pool') };
}

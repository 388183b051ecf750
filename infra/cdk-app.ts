/**
 * Builds the CDK app: one stack per run, for the environment named by `-c env=dev|staging|prod`
 * (default dev), with the AWS Solutions rules of cdk-nag checking it on every synthesis.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFor, type Settings } from './settings';
import { AuthApiStack, type AuthApiStackProps } from './stack';

export const DEPLOYABLE_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

export interface CreateAppOptions extends Pick<AuthApiStackProps, 'functionsDir' | 'resolverBundlesDir'> {
  readonly app?: App;
  /** Replaces the environment's settings (tests of optional features: custom domain, SES, …). */
  readonly settings?: Settings;
}

export function createApp(options: CreateAppOptions = {}): { app: App; stack: AuthApiStack } {
  const app = options.app ?? new App();
  const env = String(app.node.tryGetContext('env') ?? 'dev');
  if (!(DEPLOYABLE_ENVIRONMENTS as readonly string[]).includes(env)) {
    // `local` is the laptop stack (npm start), never an AWS deployment.
    throw new Error(`-c env=${env}: expected one of ${DEPLOYABLE_ENVIRONMENTS.join(', ')}`);
  }
  const settings = options.settings ?? settingsFor(env);
  const stack = new AuthApiStack(app, settings.name, {
    settings,
    functionsDir: options.functionsDir,
    resolverBundlesDir: options.resolverBundlesDir,
    stackName: settings.name,
    description: `Authentication GraphQL API (${settings.env}): AppSync, Lambda, Cognito with mandatory TOTP MFA`,
    // The account comes from the deploying credentials; the region is the environment's setting.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: settings.region },
    tags: { project: 'appsync-cognito-auth', environment: settings.env },
  });
  // An unacknowledged finding stops the synthesis, so `npm run synth` and `npm run deploy` fail on it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

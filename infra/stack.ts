/**
 * The road of the README's "How a request travels", on AWS: AppSync (schema/ + resolvers/) -> one Lambda per operation
 * (functions/) -> Cognito and the MFA bucket, all described by infra/settings.ts and wired by
 * infra/wiring.ts, the same two modules the local stack reads.
 *
 * The stack composes the parts, each built in its own module: the user pool (user-pool.ts), the MFA
 * bucket (mfa-bucket.ts), the functions (operation-function.ts, orphan-sweeper.ts), the API
 * (graphql-api.ts) and the optional WAF in front of the API and the pool (firewall.ts). The builders
 * make their resources in the stack's own scope, so construct paths and logical ids are those of one
 * flat stack.
 */
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { addFirewall } from './firewall';
import { addGraphqlApi } from './graphql-api';
import { addGuessTable } from './guess-table';
import { addRecoveryKey } from './recovery-key';
import { addMfaBucket } from './mfa-bucket';
import { OperationFunction } from './operation-function';
import { OrphanSweeper } from './orphan-sweeper';
import { FUNCTIONS_DIR, RESOLVER_BUNDLES_DIR, ROOT } from './paths';
import type { Settings } from './settings';
import { addUserPool } from './user-pool';
import { OPERATIONS, resolverFileOf, type Operation } from './wiring';

export { QR_PREFIX, RECOVERY_PREFIX } from './mfa-bucket';

/** The stack outputs, named as in outputs.local.json so scripts read either (README, Outputs). */
export const OUTPUT_KEYS = [
  'graphqlUrl',
  'apiKey',
  'region',
  'userPoolId',
  'userPoolClientId',
  'mfaBucket',
] as const;

export interface AuthApiStackProps extends StackProps {
  readonly settings: Settings;
  /** Folder holding functions/<functionName>/handler.ts. Tests point it at fixtures; default functions/. */
  readonly functionsDir?: string;
  /** Where the resolver bundles are written and read from. Default dist/resolvers/. */
  readonly resolverBundlesDir?: string;
}

export const handlerPathOf = (o: Operation, functionsDir = FUNCTIONS_DIR): string =>
  join(functionsDir, o.functionName, 'handler.ts');

export class AuthApiStack extends Stack {
  readonly api: GraphqlApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly bucket: Bucket;
  readonly clientSecret: Secret | undefined;
  readonly guessTable: TableV2;
  readonly recoveryKey: Secret;
  readonly functions: ReadonlyMap<string, OperationFunction>;
  readonly orphanSweeper: OrphanSweeper;

  constructor(scope: Construct, id: string, props: AuthApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const retain = settings.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const pool = addUserPool(this, settings, retain);
    this.userPool = pool.userPool;
    this.userPoolClient = pool.userPoolClient;
    this.clientSecret = pool.clientSecret;
    this.bucket = addMfaBucket(this, settings, retain);
    this.guessTable = addGuessTable(this, settings, retain);
    this.recoveryKey = addRecoveryKey(this, settings, retain);

    // ---------- Functions ----------
    const functionsDir = props.functionsDir ?? FUNCTIONS_DIR;
    const functions = new Map<string, OperationFunction>();
    // Every row: the build (wiringProblems) refuses a row whose function has no handler.
    for (const operation of OPERATIONS) {
      functions.set(
        resolverFileOf(operation),
        new OperationFunction(this, `Fn-${operation.functionName}`, {
          operation,
          entry: handlerPathOf(operation, functionsDir),
          settings,
          userPool: this.userPool,
          userPoolClient: this.userPoolClient,
          bucket: this.bucket,
          clientSecret: this.clientSecret,
          guessTable: this.guessTable,
          recoveryKey: this.recoveryKey,
          projectRoot: ROOT,
        }),
      );
    }
    this.functions = functions;
    this.orphanSweeper = new OrphanSweeper(this, 'OrphanSweeper', {
      entry: join(functionsDir, 'sweepOrphans', 'handler.ts'),
      settings,
      userPool: this.userPool,
      userPoolClient: this.userPoolClient,
      bucket: this.bucket,
      projectRoot: ROOT,
    });

    this.api = addGraphqlApi(this, {
      settings,
      removalPolicy: retain,
      userPool: this.userPool,
      userPoolClient: this.userPoolClient,
      functions,
      resolverBundlesDir: props.resolverBundlesDir ?? RESOLVER_BUNDLES_DIR,
    });
    if (settings.waf.enabled) addFirewall(this, settings, { api: this.api, userPool: this.userPool });

    // ---------- Outputs (same keys as outputs.local.json) ----------
    const outputs: Record<(typeof OUTPUT_KEYS)[number], string> = {
      graphqlUrl: settings.customDomain
        ? `https://${settings.customDomain.domainName}/graphql`
        : this.api.graphqlUrl,
      apiKey: this.api.apiKey!,
      region: this.region,
      userPoolId: this.userPool.userPoolId,
      userPoolClientId: this.userPoolClient.userPoolClientId,
      mfaBucket: this.bucket.bucketName,
    };
    for (const [key, value] of Object.entries(outputs)) new CfnOutput(this, key, { key, value });
    if (settings.customDomain) {
      new CfnOutput(this, 'customDomainTarget', {
        key: 'customDomainTarget',
        description: 'Point a CNAME for the custom domain at this name.',
        value: this.api.appSyncDomainName,
      });
    }
  }
}

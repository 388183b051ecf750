/**
 * One Lambda function per operation, each with its own role, log group and the least IAM the
 * operation's wiring row lists. The grant helpers below set an environment variable and the
 * permission that goes with it in one place, so a function never learns a resource's name without
 * the matching (and only the matching) permission, and never holds a permission it has no name for.
 */
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../functions/runtime/config';
import { bundlingEnvironment, clientsOf, functionBundling, type OptionalClient } from './function-bundling';
import { functionCode } from './function-code';
import { functionEnvironment } from './function-environment';
import { grantGuessTable } from './guess-table';
import { grantRecoveryKey } from './recovery-key';
import type { Settings } from './settings';
import { OBJECT_PREFIXES } from '../functions/domain/stored-objects';
import type { BucketAccess, BucketGrants, CognitoAction, Operation, StoredObjectKind } from './wiring';

/** The S3 action each kind of bucket access needs, and nothing else (no ListBucket: keys are known). */
export const S3_ACTIONS: Record<BucketAccess, string> = {
  put: 's3:PutObject',
  get: 's3:GetObject',
  delete: 's3:DeleteObject',
  list: 's3:ListBucket',
};

/**
 * Small and fixed: the functions wait on Cognito and S3, not on CPU. 256 MB on arm64 keeps the
 * per-request cost low (README, What it costs) while cold starts of a bundled SDK stay well under a second.
 */
export const FUNCTION_MEMORY_MB = 256;
/** Below AppSync's 30 s Lambda data source timeout, so a stuck call ends as our error, not AppSync's. */
export const FUNCTION_TIMEOUT_SECONDS = 10;
/** Construct id of the MFA bucket in the stack. */
export const MFA_BUCKET_ID = 'MfaBucket';

export function retentionOf(days: number): RetentionDays {
  const valid = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  if (!valid.includes(days as RetentionDays)) {
    throw new Error(`logRetentionDays ${days} is not a CloudWatch retention: use one of ${valid.join(', ')}`);
  }
  return days as RetentionDays;
}

/** Gives a function the user pool: its id and client id, plus exactly these admin actions on the pool. */
export function grantUserPool(
  fn: LambdaFunction,
  pool: IUserPool,
  client: IUserPoolClient,
  actions: readonly CognitoAction[],
): void {
  fn.addEnvironment(ENV.userPoolId, pool.userPoolId);
  fn.addEnvironment(ENV.userPoolClientId, client.userPoolClientId);
  // Token-bound calls (InitiateAuth, RespondToAuthChallenge, GetUser, …) are authorised by the
  // caller's credentials, so a function that only makes those gets no Cognito permission at all.
  if (actions.length > 0) pool.grant(fn, ...actions.map((a) => `cognito-idp:${a}`));
}

/** Where each kind of stored object lives in the bucket, as the functions write the keys. */
export { OBJECT_PREFIXES };

/**
 * Gives a function the MFA bucket: its name (every function's configuration requires it), plus
 * exactly these object actions under each kind's key prefix, and nothing on the bucket itself.
 */
export function grantMfaBucket(fn: LambdaFunction, bucket: IBucket, grants: BucketGrants): void {
  fn.addEnvironment(ENV.mfaBucket, bucket.bucketName);
  for (const [kind, access] of Object.entries(grants) as [StoredObjectKind, readonly BucketAccess[]][]) {
    const objectActions = [...new Set(access.filter((a) => a !== 'list'))];
    if (objectActions.length > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: objectActions.map((a) => S3_ACTIONS[a]),
          resources: [bucket.arnForObjects(`${OBJECT_PREFIXES[kind]}*`)],
        }),
      );
    }
    if (access.includes('list')) {
      // Listing is a bucket action: limited by condition to the kind's prefix.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [S3_ACTIONS.list],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${OBJECT_PREFIXES[kind]}*` } },
        }),
      );
    }
  }
}

/**
 * Gives a function the app client's secret: the id of the Secrets Manager secret that holds it and
 * read access to that secret only. The value never enters the environment or the template.
 */
export function grantClientSecret(fn: LambdaFunction, secret: ISecret): void {
  fn.addEnvironment(ENV.clientSecretId, secret.secretArn);
  secret.grantRead(fn);
}

export interface ApiFunctionOptions {
  /** `${settings.name}-${name}`: the function and its log group. */
  readonly name: string;
  readonly description: string;
  readonly entry: string;
  readonly settings: Settings;
  /** Root of the repository: esbuild resolves packages and tsconfig.json from here. */
  readonly projectRoot: string;
  /** The SDK clients it holds besides Cognito's (function-bundling.ts clientsOf). */
  readonly clients: readonly OptionalClient[];
}

/**
 * A function of this API, with its own log group and its own role that can write to that group only;
 * every grant beyond that is the caller's. The environment carries the settings every function reads.
 */
export function apiFunction(
  scope: Construct,
  options: ApiFunctionOptions,
): { fn: LambdaFunction; role: Role; logGroup: LogGroup } {
  const { settings } = options;
  const functionName = `${settings.name}-${options.name}`;

  // An explicit log group: retention is ours (no log-retention custom resource), and the role can
  // be granted this group only instead of the AWS managed basic execution policy on every group.
  const logGroup = new LogGroup(scope, 'Logs', {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: retentionOf(settings.logRetentionDays),
    removalPolicy: settings.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });

  // One role per function: a compromised function reaches only what its own job calls.
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `${options.description}: least privilege`,
  });
  logGroup.grantWrite(role);

  const fn = new LambdaFunction(scope, 'Function', {
    functionName,
    description: options.description,
    // Bundled on this machine with the plugin of sdk-schema-keys.ts (function-code.ts); `index.mjs`.
    code: functionCode(options.entry, functionBundling(settings, options.clients), options.projectRoot),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: FUNCTION_MEMORY_MB,
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
    role,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    tracing: Tracing.ACTIVE,
    environment: { ...functionEnvironment(settings), ...bundlingEnvironment(settings) },
  });

  return { fn, role, logGroup };
}

export interface OperationFunctionProps {
  readonly operation: Operation;
  readonly entry: string;
  readonly settings: Settings;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly bucket: IBucket;
  /** The app client's secret; undefined for a public client. */
  readonly clientSecret: ISecret | undefined;
  readonly guessTable: TableV2;
  readonly recoveryKey: Secret;
  /** Root of the repository: esbuild resolves packages and tsconfig.json from here. */
  readonly projectRoot: string;
}

export class OperationFunction extends Construct {
  readonly operation: Operation;
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: OperationFunctionProps) {
    super(scope, id);
    const { operation, settings } = props;
    this.operation = operation;
    ({
      fn: this.fn,
      role: this.role,
      logGroup: this.logGroup,
    } = apiFunction(this, {
      name: operation.functionName,
      description: `${operation.typeName}.${operation.fieldName}`,
      entry: props.entry,
      settings,
      projectRoot: props.projectRoot,
      clients: clientsOf(operation, props.clientSecret !== undefined),
    }));

    grantUserPool(this.fn, props.userPool, props.userPoolClient, operation.cognito);
    grantMfaBucket(this.fn, props.bucket, operation.bucket);
    if (operation.clientSecret && props.clientSecret) grantClientSecret(this.fn, props.clientSecret);
    if (operation.guessBounds || operation.mailBounds) grantGuessTable(this.fn, props.guessTable);
    if (operation.recoveryKey) grantRecoveryKey(this.fn, props.recoveryKey);

    const stack = Stack.of(this);
    const bucketArn = `<${stack.getLogicalId(props.bucket.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is the LTS line this project builds and tests for (esbuild target node22, the local ' +
          'stack); it is supported by Lambda into 2027. Moving to a newer runtime is one constant here.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; they are the ' +
          'only actions on "*" (test/infra asserts it).',
      },
      ...Object.keys(operation.bucket).map((kind) => ({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${OBJECT_PREFIXES[kind as StoredObjectKind]}*]`,
        reason:
          'MFA bucket object keys are per user and made at run time; the role holds only the object ' +
          'actions its wiring row lists, under the one key prefix of that kind of object (test/infra asserts it).',
      })),
    );
  }
}

/**
 * The daily sweep of objects left by accounts deleted around the API (functions/sweepOrphans): a
 * function of its own with exactly what the sweep does — list the two per-user prefixes of the bucket,
 * delete objects under them, ask the pool whether a user exists — on a schedule.
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunctionConstruct } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../functions/runtime/config';
import { USER_OBJECT_PREFIXES } from '../functions/domain/orphans';
import { apiFunction } from './operation-function';
import type { Settings } from './settings';

export interface OrphanSweeperProps {
  readonly entry: string;
  readonly settings: Settings;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly bucket: IBucket;
  readonly projectRoot: string;
}

export class OrphanSweeper extends Construct {
  readonly fn: LambdaFunctionConstruct;

  constructor(scope: Construct, id: string, props: OrphanSweeperProps) {
    super(scope, id);
    const { fn, role } = apiFunction(this, {
      name: 'sweepOrphans',
      description: 'Daily: deletes the objects of accounts deleted around the API',
      entry: props.entry,
      settings: props.settings,
      projectRoot: props.projectRoot,
      // Lists and deletes objects; asks Cognito whether a user exists.
      clients: ['s3'],
    });
    this.fn = fn;
    // The configuration every function reads (the sweep uses the pool id and the bucket).
    fn.addEnvironment(ENV.userPoolId, props.userPool.userPoolId);
    fn.addEnvironment(ENV.userPoolClientId, props.userPoolClient.userPoolClientId);
    fn.addEnvironment(ENV.mfaBucket, props.bucket.bucketName);
    props.userPool.grant(role, 'cognito-idp:AdminGetUser');
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': USER_OBJECT_PREFIXES.map((p) => `${p}*`) } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:DeleteObject'],
        resources: USER_OBJECT_PREFIXES.map((p) => props.bucket.arnForObjects(`${p}*`)),
      }),
    );
    new Rule(this, 'Daily', {
      description: 'Runs the orphaned-object sweep once a day.',
      schedule: Schedule.rate(Duration.days(1)),
      targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
    });

    const bucketArn = `<${Stack.of(this).getLogicalId(props.bucket.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22, the same runtime as every function of this API (infra/operation-function.ts).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
      },
      ...USER_OBJECT_PREFIXES.map((p) => ({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${p}*]`,
        reason:
          'Object keys are per user; DeleteObject is limited to the two per-user prefixes of this bucket.',
      })),
    );
  }
}

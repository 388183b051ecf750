/**
 * The AppSync API: schema/schema.graphql behind the API key and the access tokens of the pool's own
 * app client, its log group and logging role, and per operation a Lambda data source and a resolver
 * running the very bundle the local AppSync runs. Made in the stack's own scope, so construct paths
 * and logical ids stay the stack's.
 */
import {
  type CfnElement,
  Duration,
  Expiration,
  type RemovalPolicy,
  type Stack,
  Validations,
} from 'aws-cdk-lib';
import {
  AuthorizationType,
  type CfnGraphQLApi,
  Code,
  Definition,
  FieldLogLevel,
  FunctionRuntime,
  GraphqlApi,
  IntrospectionConfig,
} from 'aws-cdk-lib/aws-appsync';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { type OperationFunction, retentionOf } from './operation-function';
import { bundlePathOf, buildResolvers } from './resolver-bundles';
import { SCHEMA_FILE } from './paths';
import type { Settings } from './settings';

export interface GraphqlApiProps {
  readonly settings: Settings;
  /** For the API's log group: kept with the data when the settings protect it. */
  readonly removalPolicy: RemovalPolicy;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The operation functions, by resolver file name (wiring's resolverFileOf). */
  readonly functions: ReadonlyMap<string, OperationFunction>;
  /** Where the resolver bundles are written and read from. */
  readonly resolverBundlesDir: string;
}

export function addGraphqlApi(stack: Stack, props: GraphqlApiProps): GraphqlApi {
  const { settings, userPool, userPoolClient } = props;
  if (settings.api.resolverCountLimit !== 1) {
    // Every root field checks a secret, sends mail or acts on an account: one per request, so no
    // request multiplies guesses or mails by aliasing a field (README, Security).
    throw new Error(
      `settings.api.resolverCountLimit is ${settings.api.resolverCountLimit}: it must be 1 (one field per request)`,
    );
  }
  const apiLogsRole = new Role(stack, 'ApiLogsRole', {
    assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
    description: 'AppSync writes its field errors to its own log group only.',
  });
  const generation = settings.api.apiKeyGeneration ?? 1;
  const api = new GraphqlApi(stack, 'Api', {
    name: settings.name,
    definition: Definition.fromFile(SCHEMA_FILE),
    authorizationConfig: {
      defaultAuthorization: {
        authorizationType: AuthorizationType.API_KEY,
        apiKeyConfig: {
          // The name is the key's construct id: a new generation is a new key (README, API key expiry and rotation).
          name: `Generation${generation}`,
          description: `${settings.name} public key, generation ${generation}`,
          // Computed at synth time: every deploy pushes the expiry out again.
          expires: Expiration.after(Duration.days(settings.api.apiKeyExpiryDays)),
        },
      },
      additionalAuthorizationModes: [
        {
          authorizationType: AuthorizationType.USER_POOL,
          userPoolConfig: {
            userPool,
            // Only tokens issued to this API's own app client.
            appIdClientRegex: `^${userPoolClient.userPoolClientId}$`,
          },
        },
      ],
    },
    xrayEnabled: true,
    introspectionConfig: settings.api.introspection
      ? IntrospectionConfig.ENABLED
      : IntrospectionConfig.DISABLED,
    queryDepthLimit: settings.api.queryDepthLimit,
    resolverCountLimit: settings.api.resolverCountLimit,
    ...(settings.customDomain
      ? {
          domainName: {
            domainName: settings.customDomain.domainName,
            certificate: Certificate.fromCertificateArn(
              stack,
              'Certificate',
              settings.customDomain.certificateArn,
            ),
          },
        }
      : {}),
  });
  // AppSync's log group made explicit, so its retention is ours and its role is granted this group only.
  const apiLogs = new LogGroup(stack, 'ApiLogs', {
    logGroupName: `/aws/appsync/apis/${api.apiId}`,
    retention: retentionOf(settings.logRetentionDays),
    removalPolicy: props.removalPolicy,
  });
  apiLogs.grantWrite(apiLogsRole);
  // Set on the L1 resource: the L2 `logConfig` prop would add a log-retention custom resource (a
  // Lambda with an AWS managed policy on "*") racing our log group for the same name.
  // ERROR without verbose content: failures are visible, arguments (passwords, codes) never are.
  (api.node.defaultChild as CfnGraphQLApi).logConfig = {
    cloudWatchLogsRoleArn: apiLogsRole.roleArn,
    fieldLogLevel: FieldLogLevel.ERROR,
    excludeVerboseContent: true,
  };
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-ASC3',
    reason:
      'Request logging is on (field level ERROR to CloudWatch) but without verbose content: verbose ' +
      'logs carry request arguments and headers, i.e. passwords, one-time codes, sessions and tokens, ' +
      'which the API promises never to log (README).',
  });

  addResolvers(stack, api, props.functions, props.resolverBundlesDir);
  return api;
}

/** Resolvers: the very bundles the local AppSync runs, built (and the wiring checked) at synth. */
function addResolvers(
  stack: Stack,
  api: GraphqlApi,
  functions: ReadonlyMap<string, OperationFunction>,
  bundlesDir: string,
): void {
  buildResolvers(bundlesDir);
  for (const [name, fn] of functions) {
    const { operation } = fn;
    const source = api.addLambdaDataSource(`${operation.functionName}Source`, fn.fn, {
      name: `${operation.functionName}Lambda`,
      description: `${name} -> ${fn.fn.node.path}`,
    });
    source.createResolver(`${operation.typeName}${operation.fieldName}Resolver`, {
      typeName: operation.typeName,
      fieldName: operation.fieldName,
      runtime: FunctionRuntime.JS_1_0_0,
      code: Code.fromAsset(bundlePathOf(name, bundlesDir)),
    });
    const fnArn = `<${stack.getLogicalId(fn.fn.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(source).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${fnArn}:*]`,
      reason:
        "CDK grants the data source lambda:InvokeFunction on its function and that function's " +
        'versions/aliases (<arn>:*): one function, nothing else.',
    });
  }
}

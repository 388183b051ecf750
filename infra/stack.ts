/**
 * The road of the README's "How a request travels", on AWS: AppSync (schema/ + resolvers/) -> one Lambda per operation
 * (functions/) -> Cognito and the MFA bucket, all described by infra/settings.ts and wired by
 * infra/wiring.ts, the same two modules the local stack reads.
 */
import { join } from 'node:path';
import {
  type CfnElement,
  CfnOutput,
  Duration,
  Expiration,
  RemovalPolicy,
  Stack,
  type StackProps,
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
import {
  AccountRecovery,
  ClientAttributes,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolEmail,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { buildSchema, type GraphQLObjectType, Kind } from 'graphql';
import { MFA_BUCKET_ID, OperationFunction, retentionOf } from './operation-function';
import { OrphanSweeper } from './orphan-sweeper';
import { bundlePathOf, buildResolvers } from './resolver-bundles';
import { FUNCTIONS_DIR, RESOLVER_BUNDLES_DIR, ROOT, SCHEMA_FILE, readLocalSchemaSDL } from './schema';
import type { Settings } from './settings';
import { OPERATIONS, resolverFileOf, type Operation } from './wiring';
import { QR_PREFIX } from '../functions/shared/enrolment';
import { RECOVERY_PREFIX } from '../functions/shared/recovery-codes';

// Where the MFA functions keep things in the bucket, defined next to the keys. Only QR codes expire:
// recovery hashes must last.
export { QR_PREFIX, RECOVERY_PREFIX };

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

/** The schema's `cognito_groups` must name the group the pool creates, or no admin could call anything. */
function schemaAdminGroups(): Set<string> {
  const schema = buildSchema(readLocalSchemaSDL());
  const groups = new Set<string>();
  for (const typeName of ['Query', 'Mutation']) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const d of field.astNode?.directives ?? []) {
        const arg = d.arguments?.find((a) => a.name.value === 'cognito_groups');
        if (arg?.value.kind === Kind.LIST) {
          for (const v of arg.value.values) if (v.kind === Kind.STRING) groups.add(v.value);
        }
      }
    }
  }
  return groups;
}

/** The construct id aws-cdk-lib gives the singleton provider function of every AwsCustomResource. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export class AuthApiStack extends Stack {
  readonly api: GraphqlApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly bucket: Bucket;
  readonly clientSecret: Secret | undefined;
  readonly functions: ReadonlyMap<string, OperationFunction>;
  readonly orphanSweeper: OrphanSweeper;

  constructor(scope: Construct, id: string, props: AuthApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const retain = settings.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const adminGroups = schemaAdminGroups();
    if (adminGroups.size > 0 && !adminGroups.has(settings.adminGroup)) {
      throw new Error(
        `settings.adminGroup "${settings.adminGroup}" is not the group the schema's directives name ` +
          `(${[...adminGroups].join(', ')}): admin fields would refuse every administrator`,
      );
    }

    // ---------- Cognito ----------
    const featurePlan = FeaturePlan[settings.featurePlan ?? 'LITE'];
    const rotation = settings.tokens.refreshTokenRotation;
    if (rotation && featurePlan === FeaturePlan.LITE) {
      throw new Error(
        'settings.tokens.refreshTokenRotation needs the Essentials or Plus feature plan: set featurePlan',
      );
    }
    if (settings.mfa.poolMfa === 'OPTIONAL' && !settings.clientSecret) {
      throw new Error(
        "settings.mfa.poolMfa 'OPTIONAL' needs settings.clientSecret: without it anyone with a password " +
          'could sign in on Cognito directly without TOTP',
      );
    }
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: settings.name,
      featurePlan,
      // Threat protection exists only on Plus; on Lite/Essentials the setting must stay unset.
      ...(featurePlan === FeaturePlan.PLUS
        ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      // The e-mail address is the user name, compared case-insensitively (the API's contract).
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // Accounts are created by the API (AdminCreateUser), never by Cognito's public SignUp call,
      // which would bypass the API's input checks and its uniform answers.
      selfSignUpEnabled: false,
      mfa: settings.mfa.poolMfa === 'ON' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      // TOTP only: SMS costs money per message and is phishable; e-mail is the recovery channel.
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: settings.passwordPolicy.minLength,
        requireLowercase: settings.passwordPolicy.requireLowercase,
        requireUppercase: settings.passwordPolicy.requireUppercase,
        requireDigits: settings.passwordPolicy.requireDigits,
        requireSymbols: settings.passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(settings.passwordPolicy.temporaryPasswordValidityDays),
      },
      userInvitation: {
        emailSubject: settings.emails.invitationSubject,
        emailBody: settings.emails.invitationBody,
      },
      userVerification: {
        emailSubject: settings.emails.verificationSubject,
        emailBody: settings.emails.verificationBody,
        emailStyle: VerificationEmailStyle.CODE,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      email: settings.sesFromAddress
        ? UserPoolEmail.withSES({ fromEmail: settings.sesFromAddress, sesRegion: settings.region })
        : UserPoolEmail.withCognito(),
      deletionProtection: settings.protectData,
      removalPolicy: retain,
    });

    this.userPoolClient = this.userPool.addClient('AppClient', {
      userPoolClientName: `${settings.name}-app`,
      // A confidential client: Cognito refuses sign-in, challenge and reset calls without a SECRET_HASH,
      // so the public client id alone cannot reach Cognito around the API. Only the functions hold it.
      generateSecret: settings.clientSecret,
      // Exactly the flows the functions use: USER_PASSWORD_AUTH (login) and refresh, which Cognito
      // always allows. No SRP, no admin flow (no IAM-authorised sign-in), no custom challenges.
      authFlows: { userPassword: true, userSrp: false, adminUserPassword: false, custom: false },
      // No hosted UI: every sign-in goes through the API and its mandatory MFA.
      disableOAuth: true,
      accessTokenValidity: Duration.minutes(settings.tokens.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(settings.tokens.idTokenValidityMinutes),
      refreshTokenValidity: Duration.minutes(settings.tokens.refreshTokenValidityMinutes),
      authSessionValidity: Duration.minutes(settings.tokens.authSessionValidityMinutes),
      // Rotation: every refresh returns the next refresh token and spends the one sent (after the grace
      // period). CDK then leaves ALLOW_REFRESH_TOKEN_AUTH out; the functions refresh with
      // GetTokensFromRefreshToken, which works either way.
      ...(rotation
        ? { refreshTokenRotationGracePeriod: Duration.seconds(rotation.retryGracePeriodSeconds) }
        : {}),
      // Enumeration: Cognito answers an unknown user like a wrong password.
      preventUserExistenceErrors: true,
      // Revocation makes logout (GlobalSignOut) end every refresh token at once.
      enableTokenRevocation: true,
      // A signed-in user may call Cognito directly with their access token: let them change their
      // name and phone number, but not the e-mail address that is their user name and recovery channel
      // (the API has no e-mail change, so none can bypass its checks).
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: settings.userWritableAttributes.includes('name'),
        phoneNumber: settings.userWritableAttributes.includes('phone_number'),
      }),
    });

    // The client secret, copied by CloudFormation into Secrets Manager (the template holds a reference,
    // never the value), where the functions that sign users in read it once per cold start.
    this.clientSecret = settings.clientSecret
      ? new Secret(this, 'AppClientSecret', {
          description: 'Secret of the Cognito app client; read by the sign-in functions only.',
          secretStringValue: this.userPoolClient.userPoolClientSecret,
          removalPolicy: RemovalPolicy.DESTROY,
        })
      : undefined;
    if (this.clientSecret) {
      // CDK reads the secret with one DescribeUserPoolClient call from a provider function of its own
      // (AwsCustomResource, logging of the response switched off), allowed on this pool only.
      const reader = this.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
      if (reader) {
        Validations.of(reader).acknowledge(
          {
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
            reason:
              "CDK's AwsCustomResource provider runs only at deploy time to copy the client secret; its " +
              'role is made by CDK with the basic execution policy and DescribeUserPoolClient on this pool.',
          },
          {
            id: 'AwsSolutions-L1',
            reason: "The runtime of CDK's AwsCustomResource provider is chosen by aws-cdk-lib, not here.",
          },
        );
      }
      Validations.of(this.clientSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The value is the Cognito app client secret, which Cognito generates; Secrets Manager cannot ' +
          'rotate it. Rotating means a new client secret (Cognito AddUserPoolClientSecret) and a deploy.',
      });
    }

    new CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: settings.adminGroup,
      description: 'May call the admin operations of the API.',
    });

    // ---------- MFA bucket ----------
    this.bucket = new Bucket(this, MFA_BUCKET_ID, {
      // SSE-S3 (AES-256): the objects are short-lived QR codes and hashes, reachable only through the
      // functions' roles; SSE-KMS would add a per-request KMS charge and a key policy to every
      // presigned GET without narrowing who can read an object.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // No versioning: a noncurrent version of a QR code is a TOTP secret that outlives its deletion.
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-unconsumed-qr-codes',
          prefix: QR_PREFIX,
          // The QR object lives until enrolment completes and at most this long (README, Security choices).
          expiration: Duration.days(settings.qrCode.objectExpiryDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: retain,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would copy every object key (user ids) into a second, longer-lived bucket; ' +
        'only the API functions can reach these objects, each with its own role, and object-level audit ' +
        'is available through CloudTrail data events where a deployment needs it.',
    });

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
          projectRoot: ROOT,
          depsLockFilePath: join(ROOT, 'package-lock.json'),
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
      depsLockFilePath: join(ROOT, 'package-lock.json'),
    });

    // ---------- AppSync ----------
    const apiLogsRole = new Role(this, 'ApiLogsRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync writes its field errors to its own log group only.',
    });
    const generation = settings.api.apiKeyGeneration ?? 1;
    this.api = new GraphqlApi(this, 'Api', {
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
              userPool: this.userPool,
              // Only tokens issued to this API's own app client.
              appIdClientRegex: `^${this.userPoolClient.userPoolClientId}$`,
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
                this,
                'Certificate',
                settings.customDomain.certificateArn,
              ),
            },
          }
        : {}),
    });
    // AppSync's log group made explicit, so its retention is ours and its role is granted this group only.
    const apiLogs = new LogGroup(this, 'ApiLogs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: retentionOf(settings.logRetentionDays),
      removalPolicy: retain,
    });
    apiLogs.grantWrite(apiLogsRole);
    // Set on the L1 resource: the L2 `logConfig` prop would add a log-retention custom resource (a
    // Lambda with an AWS managed policy on "*") racing our log group for the same name.
    // ERROR without verbose content: failures are visible, arguments (passwords, codes) never are.
    (this.api.node.defaultChild as CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: apiLogsRole.roleArn,
      fieldLogLevel: FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    };
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason:
        'Request logging is on (field level ERROR to CloudWatch) but without verbose content: verbose ' +
        'logs carry request arguments and headers, i.e. passwords, one-time codes, sessions and tokens, ' +
        'which the API promises never to log (README).',
    });

    // Resolvers: the very bundles the local AppSync runs, built (and the wiring checked) at synth.
    const bundlesDir = props.resolverBundlesDir ?? RESOLVER_BUNDLES_DIR;
    buildResolvers(bundlesDir);
    for (const [name, fn] of functions) {
      const { operation } = fn;
      const source = this.api.addLambdaDataSource(`${operation.functionName}Source`, fn.fn, {
        name: `${operation.functionName}Lambda`,
        description: `${name} -> ${fn.fn.node.path}`,
      });
      source.createResolver(`${operation.typeName}${operation.fieldName}Resolver`, {
        typeName: operation.typeName,
        fieldName: operation.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: Code.fromAsset(bundlePathOf(name, bundlesDir)),
      });
      const fnArn = `<${this.getLogicalId(fn.fn.node.defaultChild as CfnElement)}.Arn>`;
      Validations.of(source).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${fnArn}:*]`,
        reason:
          "CDK grants the data source lambda:InvokeFunction on its function and that function's " +
          'versions/aliases (<arn>:*): one function, nothing else.',
      });
    }

    // ---------- WAF (optional) ----------
    if (settings.waf.enabled) {
      const metric = (name: string) => ({
        cloudWatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: `${settings.name}-${name}`,
      });
      const acl = new CfnWebACL(this, 'WebAcl', {
        name: `${settings.name}-api`,
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: metric('api'),
        rules: [
          {
            // Password guessing and code guessing are per-IP floods long before Cognito's own quotas.
            name: 'per-ip-rate-limit',
            priority: 0,
            action: { block: {} },
            statement: {
              rateBasedStatement: {
                limit: settings.waf.requestsPer5MinutesPerIp,
                aggregateKeyType: 'IP',
                evaluationWindowSec: 300,
              },
            },
            visibilityConfig: metric('rate-limit'),
          },
          {
            // Includes an 8 KB body limit: no field of this API takes more (BAD_USER_INPUT).
            name: 'aws-common-rules',
            priority: 1,
            overrideAction: { none: {} },
            statement: {
              managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
            },
            visibilityConfig: metric('common-rules'),
          },
        ],
      });
      new CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.api.arn,
        webAclArn: acl.attrArn,
      });
    }

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

    // ---------- Rules that do not fit this API, with the reason ----------
    if (settings.passwordPolicy.requireSymbols === false) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG1',
        reason:
          'NIST SP 800-63B-4 asks for length (15+) and no composition rules; the legacy policy with ' +
          'character classes is one setting away (infra/settings.ts LEGACY_PASSWORD_POLICY).',
      });
    }
    if (settings.mfa.poolMfa === 'OPTIONAL') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'TOTP is mandatory, enforced by the API: in an MFA-required pool Cognito cannot switch a lost ' +
          'authenticator off, so recovery would be impossible (README, Recovering a lost authenticator). ' +
          'The client secret keeps every sign-in inside the API, which hands out tokens only after TOTP.',
      });
    }
    if (featurePlan !== FeaturePlan.PLUS) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection needs the Plus plan (more than 3x the Lite price per user, README: What it costs); ' +
          'MFA is mandatory for every account, and the optional WAF rate-limits password guessing. ' +
          'Set featurePlan PLUS in infra/settings.ts to enforce it.',
      });
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Lite plan by choice: every feature this API uses (TOTP MFA, token revocation, user-existence ' +
          'protection) is on Lite, and Plus costs several times more per active user (README: What it costs). ' +
          'Set featurePlan PLUS in infra/settings.ts to move up.',
      });
    }
  }
}

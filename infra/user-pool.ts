/**
 * The Cognito side of the stack: the user pool, its one app client, the client secret copied into
 * Secrets Manager, the admin group, and the cdk-nag acknowledgements that go with them.
 * Everything is made in the stack's own scope, so construct paths and logical ids stay those of the
 * stack.
 */
import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
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
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { buildSchema, type GraphQLObjectType, Kind } from 'graphql';
import { readLocalSchemaSDL } from './paths';
import type { Settings } from './settings';

export interface UserPoolResources {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The app client's secret in Secrets Manager; undefined when settings.clientSecret is off. */
  readonly clientSecret: Secret | undefined;
}

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

/** Refuses settings that would lock administrators out, open a side door or need a plan they lack. */
function refuseUnsafeSettings(settings: Settings, featurePlan: FeaturePlan): void {
  const adminGroups = schemaAdminGroups();
  if (adminGroups.size > 0 && !adminGroups.has(settings.adminGroup)) {
    throw new Error(
      `settings.adminGroup "${settings.adminGroup}" is not the group the schema's directives name ` +
        `(${[...adminGroups].join(', ')}): admin fields would refuse every administrator`,
    );
  }
  if (settings.tokens.refreshTokenRotation && featurePlan === FeaturePlan.LITE) {
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
}

/** The pool, its app client, the client secret (if the settings ask for one) and the admin group. */
export function addUserPool(
  stack: Stack,
  settings: Settings,
  removalPolicy: RemovalPolicy,
): UserPoolResources {
  const featurePlan = FeaturePlan[settings.featurePlan ?? 'LITE'];
  refuseUnsafeSettings(settings, featurePlan);
  const rotation = settings.tokens.refreshTokenRotation;

  const userPool = new UserPool(stack, 'UserPool', {
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
    removalPolicy,
  });

  const userPoolClient = userPool.addClient('AppClient', {
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

  const clientSecret = settings.clientSecret ? addClientSecret(stack, userPoolClient) : undefined;

  new CfnUserPoolGroup(stack, 'AdminGroup', {
    userPoolId: userPool.userPoolId,
    groupName: settings.adminGroup,
    description: 'May call the admin operations of the API.',
  });

  acknowledgePoolRules(userPool, settings, featurePlan);
  return { userPool, userPoolClient, clientSecret };
}

/**
 * The client secret, copied by CloudFormation into Secrets Manager (the template holds a reference,
 * never the value), where the functions that sign users in read it once per cold start.
 */
function addClientSecret(stack: Stack, client: UserPoolClient): Secret {
  const secret = new Secret(stack, 'AppClientSecret', {
    description: 'Secret of the Cognito app client; read by the sign-in functions only.',
    secretStringValue: client.userPoolClientSecret,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // CDK reads the secret with one DescribeUserPoolClient call from a provider function of its own
  // (AwsCustomResource, logging of the response switched off), allowed on this pool only.
  const reader = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
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
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The value is the Cognito app client secret, which Cognito generates; Secrets Manager cannot ' +
      'rotate it. Rotating means a new client secret (Cognito AddUserPoolClientSecret) and a deploy.',
  });
  return secret;
}

/** The cdk-nag rules on the pool that do not fit this API, each with the reason. */
function acknowledgePoolRules(userPool: UserPool, settings: Settings, featurePlan: FeaturePlan): void {
  if (settings.passwordPolicy.requireSymbols === false) {
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG1',
      reason:
        'NIST SP 800-63B-4 asks for length (15+) and no composition rules; the legacy policy with ' +
        'character classes is one setting away (infra/settings.ts LEGACY_PASSWORD_POLICY).',
    });
  }
  if (settings.mfa.poolMfa === 'OPTIONAL') {
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'TOTP is mandatory, enforced by the API: in an MFA-required pool Cognito cannot switch a lost ' +
        'authenticator off, so recovery would be impossible (README, Recovering a lost authenticator). ' +
        'The client secret keeps every sign-in inside the API, which hands out tokens only after TOTP.',
    });
  }
  if (featurePlan !== FeaturePlan.PLUS) {
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason:
        'Threat protection needs the Plus plan (more than 3x the Lite price per user, README: What it costs); ' +
        'MFA is mandatory for every account, and the optional WAF rate-limits password guessing. ' +
        'Set featurePlan PLUS in infra/settings.ts to enforce it.',
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Lite plan by choice: every feature this API uses (TOTP MFA, token revocation, user-existence ' +
        'protection) is on Lite, and Plus costs several times more per active user (README: What it costs). ' +
        'Set featurePlan PLUS in infra/settings.ts to move up.',
    });
  }
}

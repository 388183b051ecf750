/**
 * Creates the pool, the app client (public, or with a secret) and the admin group from the settings
 * module on first start, and on later starts finds them by name and brings them in line with the
 * settings again, so editing infra/settings.ts changes the local pool as it changes the deployed one.
 */
import { randomInt } from 'node:crypto';
import type { CognitoService } from 'cognito-local/lib/services/cognitoService';
import { USER_POOL_AWS_DEFAULTS } from 'cognito-local/lib/services/cognitoService';
import type { Clock } from 'cognito-local/lib/services/clock';
import type { Context } from 'cognito-local/lib/services/context';
import type { UserPool } from 'cognito-local/lib/services/userPoolService';
import type { Settings } from '../../infra/settings';
import type { LocalAppClient } from './core';
import { newClientSecret } from './secrets';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (alphabet: string, length: number) =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

/** The pool as CreateUserPool would describe it (the same properties infra/ gives CloudFormation). */
export function poolOptions(settings: Settings): Omit<UserPool, 'Id'> {
  const p = settings.passwordPolicy;
  return {
    Name: settings.name,
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    MfaConfiguration: settings.mfa.poolMfa,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    Policies: {
      PasswordPolicy: {
        MinimumLength: p.minLength,
        RequireLowercase: p.requireLowercase,
        RequireUppercase: p.requireUppercase,
        RequireNumbers: p.requireDigits,
        RequireSymbols: p.requireSymbols,
        TemporaryPasswordValidityDays: p.temporaryPasswordValidityDays,
      },
    },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: true,
      InviteMessageTemplate: {
        EmailSubject: settings.emails.invitationSubject,
        EmailMessage: settings.emails.invitationBody,
      },
    },
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: settings.emails.verificationSubject,
      EmailMessage: settings.emails.verificationBody,
    },
    EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
  };
}

/** The app client as CreateUserPoolClient would describe it (without the secret, which Cognito makes). */
export function clientOptions(settings: Settings) {
  const t = settings.tokens;
  const rotation = t.refreshTokenRotation;
  return {
    ClientName: `${settings.name}-client`,
    // Attributes a user may change with their own access token (UpdateUserAttributes).
    WriteAttributes: [...settings.userWritableAttributes],
    // Developer guide "Refresh tokens": refresh-token rotation is not compatible with
    // REFRESH_TOKEN_AUTH, which must be off in a rotating client.
    ExplicitAuthFlows: rotation
      ? ['ALLOW_USER_PASSWORD_AUTH']
      : ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...(rotation
      ? {
          RefreshTokenRotation: {
            Feature: 'ENABLED' as const,
            RetryGracePeriodSeconds: rotation.retryGracePeriodSeconds,
          },
        }
      : {}),
    PreventUserExistenceErrors: 'ENABLED',
    EnableTokenRevocation: true,
    AccessTokenValidity: t.accessTokenValidityMinutes,
    IdTokenValidity: t.idTokenValidityMinutes,
    RefreshTokenValidity: t.refreshTokenValidityMinutes,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    AuthSessionValidity: t.authSessionValidityMinutes,
  } satisfies Partial<LocalAppClient>;
}

export async function ensurePool(
  ctx: Context,
  cognito: CognitoService,
  clock: Clock,
  settings: Settings,
): Promise<{ userPoolId: string; userPoolClientId: string; userPoolClientSecret?: string }> {
  const desired = poolOptions(settings);
  const existing = (await cognito.listUserPools(ctx)).find((p) => p.Name === settings.name);
  let userPoolId: string;
  if (existing) {
    userPoolId = existing.Id;
    const service = await cognito.getUserPool(ctx, userPoolId);
    await service.updateOptions(ctx, { ...service.options, ...desired, LastModifiedDate: clock.get() });
  } else {
    // Ids shaped like real ones (region_9 characters), so code that parses them is exercised.
    userPoolId = `${settings.region}_${random(ALPHANUMERIC, 9)}`;
    await cognito.createUserPool(ctx, {
      ...desired,
      Id: userPoolId,
      Arn: `arn:aws:cognito-idp:${settings.region}:000000000000:userpool/${userPoolId}`,
      SchemaAttributes: USER_POOL_AWS_DEFAULTS.SchemaAttributes,
      CreationDate: clock.get(),
      LastModifiedDate: clock.get(),
    });
  }
  const service = await cognito.getUserPool(ctx, userPoolId);

  const wanted = clientOptions(settings);
  const client = (await cognito.listAppClients(ctx, userPoolId)).find(
    (c) => c.ClientName === wanted.ClientName,
  );
  const now = clock.get();
  // Settings own the secret and the rotation: what an earlier start stored is not carried over.
  const {
    ClientSecret: existingSecret,
    RefreshTokenRotation: _previousRotation,
    ...kept
  } = (client as LocalAppClient | undefined) ?? {
    ClientId: random('abcdefghijklmnopqrstuvwxyz0123456789', 26),
    CreationDate: now,
  };
  // GenerateSecret: the secret is made once and kept across restarts. A deploy that switches the
  // secret on or off replaces the client (a new id); locally the id is kept so outputs stay valid.
  const secret = settings.clientSecret ? (existingSecret ?? newClientSecret()) : undefined;
  const saved: LocalAppClient = {
    ...kept,
    ...wanted,
    ...(secret ? { ClientSecret: secret } : {}),
    UserPoolId: userPoolId,
    LastModifiedDate: now,
  };
  await service.saveAppClient(ctx, saved);

  // listGroups, not getGroupByGroupName: the latter throws while the pool has no group at all.
  if (!(await service.listGroups(ctx)).some((g) => g.GroupName === settings.adminGroup)) {
    await service.saveGroup(ctx, {
      GroupName: settings.adminGroup,
      Description: 'May call the admin operations of the API',
      CreationDate: now,
      LastModifiedDate: now,
    });
  }
  return {
    userPoolId,
    userPoolClientId: saved.ClientId,
    ...(secret ? { userPoolClientSecret: secret } : {}),
  };
}

/**
 * The one description of the pool, client, MFA, bucket and API for every environment.
 * The CDK stack (infra/) and the local stack (local/) both read this module, so the
 * deployed API and the laptop API cannot disagree about a password policy or a lifetime.
 */

import type { PasswordPolicy as PasswordRules } from '../functions/domain/password-policy';

export type EnvironmentName = 'local' | 'dev' | 'staging' | 'prod';

/** The rules a password must meet (the functions' own type, so the two cannot drift apart)... */
export interface PasswordPolicy extends PasswordRules {
  /** ...and, for the pool only, the days an administrator-issued temporary password stays valid. */
  readonly temporaryPasswordValidityDays: number;
}

/** NIST SP 800-63B-4: length over composition; long passphrases allowed (Cognito caps at 256). */
export const NIST_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 15,
  requireLowercase: false,
  requireUppercase: false,
  requireDigits: false,
  requireSymbols: false,
  temporaryPasswordValidityDays: 7,
};

/** The policy of the original REST project, one setting away for those who must keep it. */
export const LEGACY_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 14,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

export interface TokenSettings {
  readonly accessTokenValidityMinutes: number;
  readonly idTokenValidityMinutes: number;
  readonly refreshTokenValidityMinutes: number;
  /** Lifetime of a challenge session (NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA). Cognito allows 3–15. */
  readonly authSessionValidityMinutes: number;
  /**
   * Refresh-token rotation (app client `RefreshTokenRotation`; needs the Essentials or Plus plan):
   * every refresh returns a new refresh token and the one sent stops working after the grace period
   * (0–60 s, for client retries). Unset: off, a refresh returns new access and ID tokens only.
   */
  readonly refreshTokenRotation?: { readonly retryGracePeriodSeconds: number };
}

export interface EmailTexts {
  readonly invitationSubject: string;
  /** Must contain {username} and {####} (Cognito substitutes them). */
  readonly invitationBody: string;
  readonly verificationSubject: string;
  /** Must contain {####}. */
  readonly verificationBody: string;
}

export interface ApiSettings {
  /** AppSync query depth limit (1–75); 0 disables it. */
  readonly queryDepthLimit: number;
  /**
   * AppSync resolver count limit per request (1–10000; 0 disables it). Always 1: every root field
   * has a resolver, so a request runs one field and cannot alias a guess or a mail fifty times.
   */
  readonly resolverCountLimit: number;
  readonly introspection: boolean;
  /** Largest request body accepted, in bytes. No field of this API needs more than a few KiB. */
  readonly maxRequestBytes: number;
  /** Days until the API key expires (AppSync allows 1–365); rotate before then. */
  readonly apiKeyExpiryDays: number;
  /**
   * Bump to replace the API key's value on the next deploy (a leaked key, or a scheduled rotation):
   * the deployed stack creates a new key and deletes the old one. Unset means generation 1.
   */
  readonly apiKeyGeneration?: number;
}

export interface Settings {
  readonly env: EnvironmentName;
  /** Prefix of every resource name. */
  readonly name: string;
  readonly region: string;
  readonly passwordPolicy: PasswordPolicy;
  readonly tokens: TokenSettings;
  readonly mfa: {
    /** Issuer shown by authenticator apps and written into the otpauth:// URI. */
    readonly issuer: string;
    /** The pool's MfaConfiguration (CloudFormation `MfaConfiguration`). */
    readonly poolMfa: 'ON' | 'OPTIONAL';
    /**
     * Minutes an enrolment session lasts (confirmUser, login or recoverMfa to confirmMfa): time to scan
     * the QR code and type the first code. At most the access token's lifetime, which it carries.
     */
    readonly enrolmentSessionMinutes: number;
  };
  /**
   * The app client has a secret (confidential client): Cognito then refuses sign-in, challenge and
   * password-reset calls that do not carry a SECRET_HASH made with it, so only the functions, which
   * hold the secret, can make them.
   */
  readonly clientSecret: boolean;
  /**
   * The attributes a signed-in user may change on Cognito directly with their access token
   * (UpdateUserAttributes; the app client's WriteAttributes). Never the e-mail: it is the user name and
   * the recovery channel, and the API has no e-mail change whose checks a direct write would bypass.
   */
  readonly userWritableAttributes: readonly ('name' | 'phone_number')[];
  readonly qrCode: {
    /** Lifetime of the presigned QR code URL. */
    readonly urlExpirySeconds: number;
    /** Lifecycle expiry of a QR object that enrolment never consumed. */
    readonly objectExpiryDays: number;
  };
  readonly emails: EmailTexts;
  /**
   * Floor, in milliseconds, for the answers of operations that must not reveal whether an account
   * exists (createUser, resendInvitation, forgotPassword, admin operations): the same answer in the
   * same time. Above the slowest path those operations take; 0 turns it off.
   */
  readonly uniformResponseMs: number;
  /**
   * Milliseconds logout waits after Cognito's GlobalSignOut before answering. Cognito revokes by time
   * rather than strictly by sign-in (aws/aws-sdk-java#2449): tokens of a sign-in made just after a global
   * sign-out are often refused as revoked too. Waiting here means the client's next sign-in comes after
   * that window. 0 turns it off.
   */
  readonly signOutSettleMs: number;
  readonly api: ApiSettings;
  /** Cognito group whose members may call the admin operations. */
  readonly adminGroup: string;
  /** Deletion protection and RETAIN removal policy on the pool and bucket. */
  readonly protectData: boolean;
  readonly logRetentionDays: number;
  /**
   * WAF web ACLs in front of the API and the user pool (infra/firewall.ts), in any environment that
   * turns it on. `requestsPer5MinutesPerIp` is the API's limit per client address, and
   * `mailRequestsPer5MinutesPerIp` its limit on requests that send mail; the pool's ACL has no
   * per-address limit (firewall.ts says why).
   */
  readonly waf: {
    readonly enabled: boolean;
    readonly requestsPer5MinutesPerIp: number;
    readonly mailRequestsPer5MinutesPerIp: number;
  };
  /** Optional SES identity (verified e-mail address) for Cognito's mail; Cognito's own sender otherwise. */
  readonly sesFromAddress?: string;
  /**
   * Cognito feature plan of the deployed pool (default LITE: TOTP MFA, token revocation and
   * user-existence protection are all on Lite). PLUS also turns on threat protection (compromised
   * credentials, adaptive authentication) in enforcement mode, at the Plus per-user price.
   */
  readonly featurePlan?: 'LITE' | 'ESSENTIALS' | 'PLUS';
  /**
   * Ship source maps with the functions and run them with --enable-source-maps, so stack traces name
   * the TypeScript sources. Off by default: it makes every bundle and every cold start larger.
   */
  readonly functionSourceMaps?: boolean;
  /** Optional custom domain for the API, with an ACM certificate in the same region. */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

const emails: EmailTexts = {
  invitationSubject: 'Your new account',
  invitationBody:
    'An account was created for {username}. Your temporary password is {####} . ' +
    'Sign in with it to choose your own password and set up your authenticator app.',
  verificationSubject: 'Your verification code',
  verificationBody: 'Your verification code is {####} . It expires in one hour.',
};

const base: Omit<Settings, 'env' | 'name'> = {
  region: 'eu-west-1',
  passwordPolicy: NIST_PASSWORD_POLICY,
  tokens: {
    accessTokenValidityMinutes: 60,
    idTokenValidityMinutes: 60,
    refreshTokenValidityMinutes: 24 * 60,
    authSessionValidityMinutes: 3,
  },
  // OPTIONAL, with TOTP enforced by the API: a required pool cannot switch a lost authenticator off.
  mfa: { issuer: 'AuthApi', poolMfa: 'OPTIONAL', enrolmentSessionMinutes: 10 },
  clientSecret: true,
  userWritableAttributes: ['name', 'phone_number'],
  qrCode: { urlExpirySeconds: 300, objectExpiryDays: 1 },
  emails,
  uniformResponseMs: 800,
  // Not published by AWS; the reports (aws/aws-sdk-java#2449) see it within a second or so.
  signOutSettleMs: 1500,
  api: {
    queryDepthLimit: 10,
    resolverCountLimit: 1,
    introspection: true,
    maxRequestBytes: 64 * 1024,
    apiKeyExpiryDays: 365,
  },
  adminGroup: 'admins',
  protectData: false,
  logRetentionDays: 30,
  // 2,000 requests per client address per 5 minutes (about 7 a second). One person is far from it: a
  // sign-in is 2 requests (login, verifyMfa), a whole account lifecycle 8 (createUser to logout), a busy
  // day 26 (README, What it costs). The limit is about shared addresses: behind an office NAT or a mobile
  // carrier's NAT everyone is one address, and an address over the limit is blocked, everyone behind it,
  // until its rate falls back under. 2,000 lets 1,000 people sign in within the same 5 minutes, or 500
  // who also load their profile and refresh; 500 would stop an office at 250 sign-ins. What it gives an
  // attacker on one address is at most 2,000 password tries per 5 minutes spread over accounts, each of
  // which stays bound whatever the address (functions/domain/guess-bounds.ts: 10 wrong passwords and 5
  // wrong TOTP codes per 15 minutes). Off outside prod by default (each web ACL is a monthly charge);
  // any environment may turn it on.
  // Mail per client address: 10 requests that send mail (createUser, resendInvitation, forgotPassword)
  // per 5 minutes, WAF's lowest limit. A person needs one or two a day; an office behind one address
  // onboarding people still gets two a minute. An attacker on one address gets at most 120 mails an
  // hour, spread over addresses that each take 3 an hour (functions/domain/mail-bounds.ts); that is
  // still more than Cognito's own sender allows a day, which is why production should send through SES.
  waf: { enabled: false, requestsPer5MinutesPerIp: 2000, mailRequestsPer5MinutesPerIp: 10 },
};

const environments: Record<EnvironmentName, Settings> = {
  // Local timings say nothing about AWS's, and tests would wait for nothing: off locally.
  local: {
    ...base,
    env: 'local',
    name: 'auth-api-local',
    region: 'us-east-1',
    uniformResponseMs: 0,
    // The local Cognito revokes strictly by sign-in unless a test turns its window on.
    signOutSettleMs: 0,
  },
  dev: { ...base, env: 'dev', name: 'auth-api-dev' },
  staging: { ...base, env: 'staging', name: 'auth-api-staging', logRetentionDays: 90 },
  prod: {
    ...base,
    env: 'prod',
    name: 'auth-api-prod',
    api: { ...base.api, introspection: false },
    protectData: true,
    logRetentionDays: 365,
    waf: { ...base.waf, enabled: true },
  },
};

export const ENVIRONMENTS = Object.keys(environments) as EnvironmentName[];

export function settingsFor(env: string): Settings {
  if (!Object.hasOwn(environments, env)) {
    throw new Error(`Unknown environment "${env}": expected one of ${ENVIRONMENTS.join(', ')}`);
  }
  return environments[env as EnvironmentName];
}

/** The password policy as functions read it (ENV.passwordPolicy), so their messages say what it asks. */
export function passwordPolicyEnv(settings: Settings): string {
  const { minLength, requireLowercase, requireUppercase, requireDigits, requireSymbols } =
    settings.passwordPolicy;
  return JSON.stringify({ minLength, requireLowercase, requireUppercase, requireDigits, requireSymbols });
}

/** The guess-bounds table (functions/domain/guess-bounds.ts): one per environment, named after it. */
export const guessTableName = (settings: Settings): string => `${settings.name}-guesses`;

/** The Secrets Manager secret recovery codes are hashed with (functions/domain/recovery-codes.ts). */
export const recoveryKeyNameOf = (settings: Settings): string => `${settings.name}-recovery-code-key`;

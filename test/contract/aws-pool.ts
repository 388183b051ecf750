/**
 * A throw-away Cognito user pool, app client and admin group, made from the settings with the options
 * the local Cognito gives its own pool (local/cognito/pool.ts, poolOptions and clientOptions), so the
 * contract tests measure the stand-in against a real pool configured the same way. The pool is
 * registered for clean-up as soon as it exists; close() deletes it, and the client and group with it.
 */
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  type CreateGroupCommandInput,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
  type UserPoolDescriptionType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Settings } from '../../infra/settings';
import { clientSettings, type EndpointOverride } from './aws-env';
import { track } from './cleanup';
import { contractTags, newContractName } from './names';
import { clientOptions, poolOptions } from '../../local/cognito/pool';

/** What the contract tests read from LocalCognito, for a real pool. */
export interface ContractPool {
  /** Undefined: the SDK finds the regional endpoint itself (set only with an override). */
  endpoint?: string;
  /** Where the SDK's requests go, for tests that post to Cognito without the SDK. */
  serviceUrl: string;
  region: string;
  name: string;
  userPoolId: string;
  userPoolClientId: string;
  /** DescribeUserPoolClient's ClientSecret when settings.clientSecret is on. */
  userPoolClientSecret?: string;
  issuer: string;
  jwksUrl: string;
  /** Deletes the pool (and its client and group); safe to call again. */
  close(): Promise<void>;
}

/**
 * The feature plan: the settings' own, else the cheapest that has what the settings use. Refresh-token
 * rotation needs Essentials (infra/user-pool.ts refuses it on Lite); everything else is on Lite.
 */
export function tierFor(settings: Settings): 'LITE' | 'ESSENTIALS' | 'PLUS' {
  return settings.featurePlan ?? (settings.tokens.refreshTokenRotation ? 'ESSENTIALS' : 'LITE');
}

/** poolOptions of local/cognito/pool.ts (the same builder) as CreateUserPool takes them. */
export function userPoolInput(settings: Settings, name: string, nowMs: number): CreateUserPoolCommandInput {
  const { Name: _localName, SoftwareTokenMfaConfiguration: _mfa, ...options } = poolOptions(settings);
  return {
    ...options,
    PoolName: name,
    // CreateUserPool takes no SoftwareTokenMfaConfiguration, and MFA ON or OPTIONAL with no factor
    // configured is refused: the pool starts OFF and mfaConfigInput turns TOTP and the setting on.
    MfaConfiguration: 'OFF',
    // DeleteUserPool refuses a protected pool.
    DeletionProtection: 'INACTIVE',
    UserPoolTier: tierFor(settings),
    UserPoolTags: contractTags(nowMs),
  } as CreateUserPoolCommandInput;
}

/** MfaConfiguration from settings.mfa.poolMfa, with software-token (TOTP) MFA enabled. */
export function mfaConfigInput(settings: Settings, userPoolId: string): SetUserPoolMfaConfigCommandInput {
  return {
    UserPoolId: userPoolId,
    MfaConfiguration: settings.mfa.poolMfa,
    SoftwareTokenMfaConfiguration: { Enabled: true },
  };
}

/** clientOptions of local/cognito/pool.ts (the same builder) as CreateUserPoolClient takes them. */
export function userPoolClientInput(
  settings: Settings,
  userPoolId: string,
): CreateUserPoolClientCommandInput {
  return {
    UserPoolId: userPoolId,
    GenerateSecret: settings.clientSecret,
    ...clientOptions(settings),
  } as CreateUserPoolClientCommandInput;
}

export function adminGroupInput(settings: Settings, userPoolId: string): CreateGroupCommandInput {
  return {
    UserPoolId: userPoolId,
    GroupName: settings.adminGroup,
    Description: 'May call the admin operations of the API',
  };
}

/** The regional endpoint the SDK resolves for Cognito (not FIPS, not dual-stack). */
export function cognitoServiceUrl(region: string): string {
  const client = new CognitoIdentityProviderClient({ region });
  try {
    return client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false }).url.origin;
  } finally {
    client.destroy();
  }
}

/** The `iss` of a real pool's tokens: the regional endpoint followed by the pool id. */
export const cognitoIssuer = (region: string, userPoolId: string) =>
  `${cognitoServiceUrl(region)}/${userPoolId}`;

export function cognitoClient(override?: EndpointOverride): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(clientSettings(override));
}

/** DeleteUserPool; a pool that is already gone counts as deleted. */
export async function deleteUserPool(client: CognitoIdentityProviderClient, userPoolId: string) {
  try {
    await client.send(new DeleteUserPoolCommand({ UserPoolId: userPoolId }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

/** Every user pool in the region (ListUserPools, page by page). */
export async function listUserPools(
  client: CognitoIdentityProviderClient,
): Promise<UserPoolDescriptionType[]> {
  const pools: UserPoolDescriptionType[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    pools.push(...(page.UserPools ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return pools;
}

/**
 * Creates the pool, turns TOTP on, creates the app client (reading its secret back with
 * DescribeUserPoolClient) and the admin group. If a step fails, the pool made so far is deleted
 * before the error is thrown.
 */
export async function createContractPool(
  settings: Settings,
  options: { endpoint?: EndpointOverride; now?: () => number } = {},
): Promise<ContractPool> {
  const nowMs = (options.now ?? Date.now)();
  const name = newContractName(nowMs);
  const client = cognitoClient(options.endpoint);
  let userPoolId: string | undefined;
  let untrack = () => {};
  const remove = async () => {
    if (userPoolId) await deleteUserPool(client, userPoolId);
    untrack();
    client.destroy();
  };
  try {
    const region = await client.config.region();
    const created = await client.send(new CreateUserPoolCommand(userPoolInput(settings, name, nowMs)));
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error('CreateUserPool answered without a pool id');
    untrack = track(`user pool ${name} (${userPoolId})`, remove, {
      kind: 'user-pool',
      userPoolId,
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });

    await client.send(new SetUserPoolMfaConfigCommand(mfaConfigInput(settings, userPoolId)));
    const app = await client.send(new CreateUserPoolClientCommand(userPoolClientInput(settings, userPoolId)));
    const userPoolClientId = app.UserPoolClient?.ClientId;
    if (!userPoolClientId) throw new Error('CreateUserPoolClient answered without a client id');
    const described = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: userPoolClientId }),
    );
    const userPoolClientSecret = described.UserPoolClient?.ClientSecret;
    if (settings.clientSecret && !userPoolClientSecret) {
      throw new Error('DescribeUserPoolClient answered without the secret the client was made with');
    }
    await client.send(new CreateGroupCommand(adminGroupInput(settings, userPoolId)));

    const serviceUrl = options.endpoint?.url ?? cognitoServiceUrl(region);
    const issuer = `${serviceUrl}/${userPoolId}`;
    let closing: Promise<void> | undefined;
    return {
      ...(options.endpoint ? { endpoint: options.endpoint.url } : {}),
      serviceUrl,
      region,
      name,
      userPoolId,
      userPoolClientId,
      ...(userPoolClientSecret ? { userPoolClientSecret } : {}),
      issuer,
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      close() {
        // Kept while it runs, so a second call waits for the same deletion; dropped if it failed.
        closing ??= remove().catch((error: unknown) => {
          closing = undefined;
          throw new Error(`could not delete the throw-away user pool ${name} (${userPoolId})`, {
            cause: error,
          });
        });
        return closing;
      },
    };
  } catch (error) {
    const cleanup = await remove().then(
      () => '',
      (e: unknown) => `; deleting it failed too (${(e as Error).message}): the sweep will`,
    );
    throw new Error(
      `could not create the throw-away user pool ${name}: ${(error as Error).message}${cleanup}`,
      {
        cause: error,
      },
    );
  }
}

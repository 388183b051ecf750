/**
 * AppSync's authorization, locally: which mode a request uses, whether its credential is valid
 * (request level: HTTP 401 UnauthorizedException), and whether that mode may read a field
 * (field level: `Unauthorized` error on that field, null data).
 */
import {
  type GraphQLField,
  type GraphQLObjectType,
  Kind,
  type ConstDirectiveNode,
  type ConstValueNode,
} from 'graphql';
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface CognitoAuthConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` on AWS; the local Cognito's issuer locally. */
  readonly issuer: string;
  /** The pool's signing keys (its JWKS), e.g. jose's createRemoteJWKSet or createLocalJWKSet. */
  readonly jwks: JWTVerifyGetKey;
  /** AppSync's appIdClientRegex, as a list: the app clients whose tokens are accepted. */
  readonly clientIds: readonly string[];
}

export interface AuthConfig {
  /** Valid API keys. A function, so keys can rotate while the server runs. */
  readonly apiKeys: () => readonly string[];
  readonly cognito?: CognitoAuthConfig;
}

/** The values of AppSync's `authenticationType` that the local AppSync authenticates requests with. */
export type AuthenticationType = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS';

export interface CognitoIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: JWTPayload & Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW';
  groups: string[] | null;
}

export type RequestAuth =
  | { mode: 'API_KEY'; authType: 'API Key Authorization'; identity: null }
  | { mode: 'AMAZON_COGNITO_USER_POOLS'; authType: 'User Pool Authorization'; identity: CognitoIdentity };

/** AppSync's request-level refusal: HTTP 401 with a single UnauthorizedException. */
export class UnauthorizedRequest extends Error {
  readonly errorType = 'UnauthorizedException';
}

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Picks the mode from the headers the way AppSync does for an API with API key + user pools:
 * an `x-api-key` header means API key mode, otherwise an `Authorization` header means user pools.
 */
export async function authenticate(
  headers: Headers,
  sourceIp: string,
  config: AuthConfig,
): Promise<RequestAuth> {
  const apiKey = header(headers, 'x-api-key');
  if (apiKey !== undefined) {
    if (!config.apiKeys().includes(apiKey))
      throw new UnauthorizedRequest('You are not authorized to make this call.');
    return { mode: 'API_KEY', authType: 'API Key Authorization', identity: null };
  }
  const authorization = header(headers, 'authorization');
  if (authorization && config.cognito) {
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
    return {
      mode: 'AMAZON_COGNITO_USER_POOLS',
      authType: 'User Pool Authorization',
      identity: await verifyCognitoToken(token, sourceIp, config.cognito),
    };
  }
  throw new UnauthorizedRequest(
    authorization ? 'Valid authorization header not provided.' : 'You are not authorized to make this call.',
  );
}

async function verifyCognitoToken(
  token: string,
  sourceIp: string,
  cognito: CognitoAuthConfig,
): Promise<CognitoIdentity> {
  let claims: JWTPayload & Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, cognito.jwks, {
      issuer: cognito.issuer,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'token_use'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedRequest('Token has expired.');
    if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
      throw new UnauthorizedRequest('Unable to parse JWT token.');
    }
    throw new UnauthorizedRequest('Valid authorization header not provided.');
  }
  // Access tokens name their client in client_id, ID tokens in aud; any other token_use is refused.
  const client =
    claims.token_use === 'access' ? claims.client_id : claims.token_use === 'id' ? claims.aud : undefined;
  if (typeof client !== 'string' || !cognito.clientIds.includes(client)) {
    throw new UnauthorizedRequest('Valid authorization header not provided.');
  }
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : null;
  return {
    sub: String(claims.sub),
    issuer: String(claims.iss),
    username: String(claims['cognito:username'] ?? claims.username ?? claims.sub),
    claims,
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups,
  };
}

interface Rule {
  mode: AuthenticationType | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';
  groups?: string[];
}

const DIRECTIVE_MODES: Record<string, Rule['mode']> = {
  aws_api_key: 'API_KEY',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

const stringList = (v: ConstValueNode | undefined): string[] | undefined =>
  v?.kind === Kind.LIST ? v.values.flatMap((x) => (x.kind === Kind.STRING ? [x.value] : [])) : undefined;

function rulesOf(directives: readonly ConstDirectiveNode[] | undefined): Rule[] {
  return (directives ?? []).flatMap((d) => {
    const mode = DIRECTIVE_MODES[d.name.value];
    if (!mode) return [];
    const groups = stringList(d.arguments?.find((a) => a.name.value === 'cognito_groups')?.value);
    return [groups && groups.length > 0 ? { mode, groups } : { mode }];
  });
}

/**
 * AppSync's precedence: a field's own auth directives replace its type's; a type's directives apply
 * to its fields without their own; with neither, only the API's default mode may read the field.
 */
export function fieldRules(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  defaultMode: AuthenticationType,
): Rule[] {
  const own = rulesOf(field.astNode?.directives);
  if (own.length > 0) return own;
  const inherited = rulesOf(type.astNode?.directives);
  return inherited.length > 0 ? inherited : [{ mode: defaultMode }];
}

export function mayAccess(rules: readonly Rule[], auth: RequestAuth): boolean {
  return rules.some((rule) => {
    if (rule.mode !== auth.mode) return false;
    if (!rule.groups) return true;
    const groups = auth.identity?.groups ?? [];
    return rule.groups.some((g) => groups.includes(g));
  });
}

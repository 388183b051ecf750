import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthTokens } from '../../schema/generated/types';

/** Cognito's result as the API's AuthTokens; a refresh without rotation keeps the caller's refresh token. */
export function toAuthTokens(
  result: AuthenticationResultType | undefined,
  previousRefreshToken?: string,
): AuthTokens {
  const refreshToken = result?.RefreshToken ?? previousRefreshToken;
  if (!result?.AccessToken || !result.IdToken || !refreshToken) {
    throw new Error('Cognito returned no tokens');
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken,
    expiresIn: result.ExpiresIn ?? 3600,
    tokenType: result.TokenType ?? 'Bearer',
  };
}

/** The `sub` of a token Cognito just issued to us (not a caller's token: that one AppSync verified). */
export function subOf(jwt: string): string {
  const payload = jwt.split('.')[1] ?? '';
  const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new Error('token without sub');
  return sub;
}

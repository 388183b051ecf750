/**
 * The GraphiQL console, served from local assets only (the page inlines GraphiQL: no CDN), with the
 * API key prefilled and one tab per step of an account's life.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

interface Tab {
  query: string;
  variables?: string;
  headers?: string;
}

const vars = (v: Record<string, unknown>): string => JSON.stringify(v, null, 2);

const LIFECYCLE: Tab[] = [
  {
    query: `# 1. Create an account. The temporary password arrives in the local mailbox (see the console).
mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { email status }
}`,
    variables: vars({ input: { email: 'jane@example.com', fullName: 'Jane Doe' } }),
  },
  {
    query: `# 2. Choose a password with the temporary one; scan the QR code (qrCodeUrl) or type secretCode.
mutation ConfirmUser($input: ConfirmUserInput!) {
  confirmUser(input: $input) { session secretCode otpauthUri qrCodeUrl qrCodeExpiresAt }
}`,
    variables: vars({
      input: {
        email: 'jane@example.com',
        temporaryPassword: 'from the mailbox',
        newPassword: 'a long passphrase of yours',
      },
    }),
  },
  {
    query: `# 3. Prove the authenticator with its current code. Keep the recovery codes safe.
mutation ConfirmMfa($input: ConfirmMfaInput!) {
  confirmMfa(input: $input) {
    mfaStatus
    recoveryCodes
    tokens { accessToken idToken refreshToken expiresIn tokenType }
  }
}`,
    variables: vars({ input: { email: 'jane@example.com', session: 'from step 2', otp: '123456' } }),
  },
  {
    query: `# 4. Sign in: password first...
mutation Login($input: LoginInput!) {
  login(input: $input) {
    challenge
    session
  }
}`,
    variables: vars({ input: { email: 'jane@example.com', password: 'a long passphrase of yours' } }),
  },
  {
    query: `# 5. ...then the code from the authenticator.
mutation VerifyMfa($input: VerifyMfaInput!) {
  verifyMfa(input: $input) { accessToken idToken refreshToken expiresIn tokenType }
}`,
    variables: vars({ input: { email: 'jane@example.com', session: 'from step 4', otp: '123456' } }),
  },
  {
    query: `# 6. Your own account: send the ACCESS token (not the ID token) in the Authorization header,
#    and remove x-api-key (an x-api-key header makes the request an API-key request).
query UserInfo {
  userinfo { userId email fullName phoneNumber groups mfaEnabled }
}`,
    headers: vars({ Authorization: 'paste accessToken here' }),
  },
  {
    query: `# 7. New access and ID tokens from the refresh token.
mutation Refresh($input: RefreshInput!) {
  refresh(input: $input) { accessToken idToken refreshToken expiresIn tokenType }
}`,
    variables: vars({ input: { refreshToken: 'from step 5' } }),
  },
  {
    query: `# 8. Sign out everywhere: the refresh token stops working at once.
mutation Logout {
  logout { signedOut }
}`,
    headers: vars({ Authorization: 'paste accessToken here' }),
  },
];

let cached: string | undefined;

export function graphiqlPage(apiKey: string): string {
  cached ??= renderGraphiQL({
    title: 'Auth API (local)',
    endpoint: '/graphql',
    defaultHeaders: vars({ 'x-api-key': apiKey }),
    defaultTabs: LIFECYCLE.map((t) => ({ ...t, headers: t.headers ?? vars({ 'x-api-key': apiKey }) })),
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
  });
  return cached;
}

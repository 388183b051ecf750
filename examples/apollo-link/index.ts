/**
 * The Apollo link for the Auth API, as an app imports it (README.md in this folder).
 */
export { createAuthClient, createAuthLink, type AuthLink, type AuthLinkOptions } from './link';
export {
  claimsOf,
  memoryTokenStore,
  sessionStorageTokenStore,
  type KeyValueStorage,
  type TokenClaims,
  type TokenStore,
  type Tokens,
} from './tokens';
export { AuthApiError, authErrorOf, ERROR_TYPES, type ErrorOrigin, type ErrorType } from './errors';
export { credentialFor, rootFieldsOf, type Credential } from './credentials';
export { ROOT_FIELD_AUTH, type AuthMode, type AuthRule, type RootField } from './generated/auth-modes';

/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}": typeof types.CreateUserDocument,
    "mutation ConfirmUser($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    session\n    secretCode\n    otpauthUri\n    qrCodeUrl\n    qrCodeExpiresAt\n  }\n}": typeof types.ConfirmUserDocument,
    "mutation ConfirmMfa($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      accessToken\n      idToken\n      refreshToken\n      expiresIn\n      tokenType\n    }\n  }\n}": typeof types.ConfirmMfaDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}": typeof types.LoginDocument,
    "mutation VerifyMfa($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}": typeof types.VerifyMfaDocument,
    "query UserInfo {\n  userinfo {\n    userId\n    email\n    fullName\n    phoneNumber\n    groups\n    mfaEnabled\n  }\n}": typeof types.UserInfoDocument,
    "mutation Refresh($input: RefreshInput!) {\n  refresh(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}": typeof types.RefreshDocument,
    "mutation Logout {\n  logout {\n    signedOut\n  }\n}": typeof types.LogoutDocument,
};
const documents: Documents = {
    "mutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}": types.CreateUserDocument,
    "mutation ConfirmUser($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    session\n    secretCode\n    otpauthUri\n    qrCodeUrl\n    qrCodeExpiresAt\n  }\n}": types.ConfirmUserDocument,
    "mutation ConfirmMfa($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      accessToken\n      idToken\n      refreshToken\n      expiresIn\n      tokenType\n    }\n  }\n}": types.ConfirmMfaDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}": types.LoginDocument,
    "mutation VerifyMfa($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}": types.VerifyMfaDocument,
    "query UserInfo {\n  userinfo {\n    userId\n    email\n    fullName\n    phoneNumber\n    groups\n    mfaEnabled\n  }\n}": types.UserInfoDocument,
    "mutation Refresh($input: RefreshInput!) {\n  refresh(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}": types.RefreshDocument,
    "mutation Logout {\n  logout {\n    signedOut\n  }\n}": types.LogoutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}"): (typeof documents)["mutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConfirmUser($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    session\n    secretCode\n    otpauthUri\n    qrCodeUrl\n    qrCodeExpiresAt\n  }\n}"): (typeof documents)["mutation ConfirmUser($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    session\n    secretCode\n    otpauthUri\n    qrCodeUrl\n    qrCodeExpiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConfirmMfa($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      accessToken\n      idToken\n      refreshToken\n      expiresIn\n      tokenType\n    }\n  }\n}"): (typeof documents)["mutation ConfirmMfa($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      accessToken\n      idToken\n      refreshToken\n      expiresIn\n      tokenType\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation VerifyMfa($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}"): (typeof documents)["mutation VerifyMfa($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserInfo {\n  userinfo {\n    userId\n    email\n    fullName\n    phoneNumber\n    groups\n    mfaEnabled\n  }\n}"): (typeof documents)["query UserInfo {\n  userinfo {\n    userId\n    email\n    fullName\n    phoneNumber\n    groups\n    mfaEnabled\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Refresh($input: RefreshInput!) {\n  refresh(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}"): (typeof documents)["mutation Refresh($input: RefreshInput!) {\n  refresh(input: $input) {\n    accessToken\n    idToken\n    refreshToken\n    expiresIn\n    tokenType\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout {\n  logout {\n    signedOut\n  }\n}"): (typeof documents)["mutation Logout {\n  logout {\n    signedOut\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
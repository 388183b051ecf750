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
    "fragment Setup on MfaSetup {\n  session\n  secretCode\n  otpauthUri\n  qrCodeUrl\n  qrCodeExpiresAt\n}\n\nfragment Tokens on AuthTokens {\n  accessToken\n  idToken\n  refreshToken\n  expiresIn\n  tokenType\n}\n\nmutation SignUp($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}\n\nmutation Confirm($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    ...Setup\n  }\n}\n\nmutation Enrol($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      ...Tokens\n    }\n  }\n}\n\nmutation SignIn($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}\n\nmutation VerifyEmail($input: VerifyEnrolmentEmailInput!) {\n  verifyEnrolmentEmail(input: $input) {\n    ...Setup\n  }\n}\n\nmutation SecondFactor($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    ...Tokens\n  }\n}\n\nquery Me {\n  userinfo {\n    userId\n    email\n    fullName\n    groups\n    mfaEnabled\n  }\n}\n\nmutation SignOut {\n  logout {\n    signedOut\n  }\n}": typeof types.SetupFragmentDoc,
};
const documents: Documents = {
    "fragment Setup on MfaSetup {\n  session\n  secretCode\n  otpauthUri\n  qrCodeUrl\n  qrCodeExpiresAt\n}\n\nfragment Tokens on AuthTokens {\n  accessToken\n  idToken\n  refreshToken\n  expiresIn\n  tokenType\n}\n\nmutation SignUp($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}\n\nmutation Confirm($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    ...Setup\n  }\n}\n\nmutation Enrol($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      ...Tokens\n    }\n  }\n}\n\nmutation SignIn($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}\n\nmutation VerifyEmail($input: VerifyEnrolmentEmailInput!) {\n  verifyEnrolmentEmail(input: $input) {\n    ...Setup\n  }\n}\n\nmutation SecondFactor($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    ...Tokens\n  }\n}\n\nquery Me {\n  userinfo {\n    userId\n    email\n    fullName\n    groups\n    mfaEnabled\n  }\n}\n\nmutation SignOut {\n  logout {\n    signedOut\n  }\n}": types.SetupFragmentDoc,
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
export function graphql(source: "fragment Setup on MfaSetup {\n  session\n  secretCode\n  otpauthUri\n  qrCodeUrl\n  qrCodeExpiresAt\n}\n\nfragment Tokens on AuthTokens {\n  accessToken\n  idToken\n  refreshToken\n  expiresIn\n  tokenType\n}\n\nmutation SignUp($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}\n\nmutation Confirm($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    ...Setup\n  }\n}\n\nmutation Enrol($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      ...Tokens\n    }\n  }\n}\n\nmutation SignIn($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}\n\nmutation VerifyEmail($input: VerifyEnrolmentEmailInput!) {\n  verifyEnrolmentEmail(input: $input) {\n    ...Setup\n  }\n}\n\nmutation SecondFactor($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    ...Tokens\n  }\n}\n\nquery Me {\n  userinfo {\n    userId\n    email\n    fullName\n    groups\n    mfaEnabled\n  }\n}\n\nmutation SignOut {\n  logout {\n    signedOut\n  }\n}"): (typeof documents)["fragment Setup on MfaSetup {\n  session\n  secretCode\n  otpauthUri\n  qrCodeUrl\n  qrCodeExpiresAt\n}\n\nfragment Tokens on AuthTokens {\n  accessToken\n  idToken\n  refreshToken\n  expiresIn\n  tokenType\n}\n\nmutation SignUp($input: CreateUserInput!) {\n  createUser(input: $input) {\n    email\n    status\n  }\n}\n\nmutation Confirm($input: ConfirmUserInput!) {\n  confirmUser(input: $input) {\n    ...Setup\n  }\n}\n\nmutation Enrol($input: ConfirmMfaInput!) {\n  confirmMfa(input: $input) {\n    mfaStatus\n    recoveryCodes\n    tokens {\n      ...Tokens\n    }\n  }\n}\n\nmutation SignIn($input: LoginInput!) {\n  login(input: $input) {\n    challenge\n    session\n  }\n}\n\nmutation VerifyEmail($input: VerifyEnrolmentEmailInput!) {\n  verifyEnrolmentEmail(input: $input) {\n    ...Setup\n  }\n}\n\nmutation SecondFactor($input: VerifyMfaInput!) {\n  verifyMfa(input: $input) {\n    ...Tokens\n  }\n}\n\nquery Me {\n  userinfo {\n    userId\n    email\n    fullName\n    groups\n    mfaEnabled\n  }\n}\n\nmutation SignOut {\n  logout {\n    signedOut\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
/**
 * The wiring table: GraphQL field -> resolver file -> Lambda function -> auth mode -> IAM actions.
 *
 * The local AppSync (local/) and the CDK stack (infra/) both read this table, so the API on a laptop
 * and the API on AWS cannot drift apart. The build checks it against the schema and the resolver
 * files (scripts/build-resolvers.ts). Adding an operation means adding a row here, a resolver, a
 * function and their tests.
 *
 * IAM: the public, token-bound Cognito calls (InitiateAuth, RespondToAuthChallenge, GetUser,
 * GlobalSignOut, ChangePassword, AssociateSoftwareToken, …) are authorised by the caller's
 * credentials, not by IAM, so functions that only make those calls get no Cognito permissions.
 */

export type AuthMode = 'API_KEY' | 'COGNITO' | 'COGNITO_ADMINS';

export type CognitoAction =
  | 'AdminCreateUser'
  | 'AdminGetUser'
  | 'AdminDeleteUser'
  | 'AdminResetUserPassword'
  | 'AdminSetUserMFAPreference'
  | 'AdminUserGlobalSignOut'
  | 'AdminListGroupsForUser';

/** What a function does to the MFA bucket (mapped to s3:PutObject / s3:GetObject / s3:DeleteObject). */
export type BucketAccess = 'put' | 'get' | 'delete';

export interface Operation {
  readonly typeName: 'Query' | 'Mutation';
  readonly fieldName: string;
  /** Folder under functions/ holding handler.ts. */
  readonly functionName: string;
  readonly auth: AuthMode;
  readonly cognito: readonly CognitoAction[];
  readonly bucket: readonly BucketAccess[];
  /**
   * Reads the app client's secret: for the SECRET_HASH of sign-in, challenge and password-reset calls,
   * and for sealing enrolment sessions. Token-bound and admin calls need no secret.
   */
  readonly clientSecret: boolean;
}

const op = (
  field: `${'Query' | 'Mutation'}.${string}`,
  auth: AuthMode,
  cognito: readonly CognitoAction[] = [],
  bucket: readonly BucketAccess[] = [],
  uses: { clientSecret?: boolean } = {},
): Operation => {
  const [typeName, fieldName] = field.split('.') as ['Query' | 'Mutation', string];
  return {
    typeName,
    fieldName,
    functionName: fieldName,
    auth,
    cognito,
    bucket,
    clientSecret: uses.clientSecret ?? false,
  };
};

const SECRET = { clientSecret: true } as const;

export const OPERATIONS: readonly Operation[] = [
  op('Mutation.createUser', 'API_KEY', ['AdminCreateUser']),
  op('Mutation.resendInvitation', 'API_KEY', ['AdminCreateUser']),
  op('Mutation.confirmUser', 'API_KEY', [], ['put', 'get'], SECRET),
  op('Mutation.confirmMfa', 'API_KEY', [], ['put', 'get', 'delete'], SECRET),
  op('Mutation.login', 'API_KEY', [], ['put', 'get'], SECRET),
  op('Mutation.verifyMfa', 'API_KEY', [], [], SECRET),
  op('Mutation.refresh', 'API_KEY', [], [], SECRET),
  op('Query.userinfo', 'COGNITO'),
  op('Mutation.logout', 'COGNITO'),
  op('Mutation.forgotPassword', 'API_KEY', [], [], SECRET),
  op('Mutation.confirmForgotPassword', 'API_KEY', [], [], SECRET),
  op('Mutation.changePassword', 'COGNITO'),
  op('Mutation.deleteMe', 'COGNITO', [], ['delete']),
  op('Query.exportMyData', 'COGNITO', ['AdminGetUser', 'AdminListGroupsForUser'], ['get']),
  op(
    'Mutation.recoverMfa',
    'API_KEY',
    ['AdminUserGlobalSignOut', 'AdminSetUserMFAPreference'],
    ['put', 'get'],
    SECRET,
  ),
  op('Mutation.adminResetUserPassword', 'COGNITO_ADMINS', ['AdminResetUserPassword']),
  op('Mutation.adminDeleteUser', 'COGNITO_ADMINS', ['AdminGetUser', 'AdminDeleteUser'], ['delete']),
];

/** `Mutation.login` -> `Mutation.login.ts`: file names are the wiring. */
export const resolverFileOf = (o: Pick<Operation, 'typeName' | 'fieldName'>): string =>
  `${o.typeName}.${o.fieldName}`;

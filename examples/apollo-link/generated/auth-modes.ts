/** AppSync's auth modes. */
export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

/** One way a field may be called: a mode, and for user pools maybe the Cognito groups it needs. */
export interface AuthRule {
  readonly mode: AuthMode;
  readonly groups?: readonly string[];
}

/** The API's default mode: a field without a directive (and whose type has none) takes only this. */
export const DEFAULT_AUTH_MODE: AuthMode = 'API_KEY';

/** The root type each kind of operation selects from. */
export const ROOT_TYPES = { query: 'Query', mutation: 'Mutation' } as const;

/** Every root field, keyed as the wiring table names it, with the modes AppSync accepts for it. */
export const ROOT_FIELD_AUTH = {
  'Query.exportMyData': [{ mode: 'AMAZON_COGNITO_USER_POOLS' }],
  'Query.userinfo': [{ mode: 'AMAZON_COGNITO_USER_POOLS' }],
  'Mutation.adminDeleteUser': [{ mode: 'AMAZON_COGNITO_USER_POOLS', groups: ['admins'] }],
  'Mutation.adminResetUserPassword': [{ mode: 'AMAZON_COGNITO_USER_POOLS', groups: ['admins'] }],
  'Mutation.changePassword': [{ mode: 'AMAZON_COGNITO_USER_POOLS' }],
  'Mutation.confirmForgotPassword': [{ mode: 'API_KEY' }],
  'Mutation.confirmMfa': [{ mode: 'API_KEY' }],
  'Mutation.confirmUser': [{ mode: 'API_KEY' }],
  'Mutation.createUser': [{ mode: 'API_KEY' }],
  'Mutation.deleteMe': [{ mode: 'AMAZON_COGNITO_USER_POOLS' }],
  'Mutation.forgotPassword': [{ mode: 'API_KEY' }],
  'Mutation.login': [{ mode: 'API_KEY' }],
  'Mutation.logout': [{ mode: 'AMAZON_COGNITO_USER_POOLS' }],
  'Mutation.recoverMfa': [{ mode: 'API_KEY' }],
  'Mutation.refresh': [{ mode: 'API_KEY' }],
  'Mutation.resendInvitation': [{ mode: 'API_KEY' }],
  'Mutation.verifyEnrolmentEmail': [{ mode: 'API_KEY' }],
  'Mutation.verifyMfa': [{ mode: 'API_KEY' }],
} as const satisfies Readonly<Record<string, readonly AuthRule[]>>;

/** A root field of the schema: 'Query.userinfo', 'Mutation.login', … */
export type RootField = keyof typeof ROOT_FIELD_AUTH;

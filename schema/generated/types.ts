export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSEmail: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
  AWSJSON: { input: unknown; output: unknown; }
  AWSPhone: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSURL: { input: string; output: string; }
};

export type AdminDeleteUserInput = {
  email: Scalars['String']['input'];
};

export type AdminResetUserPasswordInput = {
  email: Scalars['String']['input'];
};

export type AuthChallenge =
  /** The account never finished enrolment: a code was e-mailed to it; verifyEnrolmentEmail starts enrolment. */
  | 'EMAIL_VERIFICATION'
  /** The code from the authenticator: verifyMfa. */
  | 'SOFTWARE_TOKEN_MFA';

export type AuthTokens = {
  __typename?: 'AuthTokens';
  accessToken: Scalars['String']['output'];
  /** Seconds until the access and ID tokens expire. */
  expiresIn: Scalars['Int']['output'];
  idToken: Scalars['String']['output'];
  refreshToken: Scalars['String']['output'];
  /** Always Bearer. */
  tokenType: Scalars['String']['output'];
};

export type ChangePasswordInput = {
  newPassword: Scalars['String']['input'];
  oldPassword: Scalars['String']['input'];
  /** A current code from the authenticator: the fresh sign-in that follows the change needs it. */
  otp: Scalars['String']['input'];
};

export type ChangePasswordPayload = {
  __typename?: 'ChangePasswordPayload';
  status: PasswordStatus;
  /** A new sign-in with the new password: every earlier token of the account, this caller's too, is revoked. */
  tokens: AuthTokens;
};

export type ConfirmForgotPasswordInput = {
  code: Scalars['String']['input'];
  email: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};

export type ConfirmMfaInput = {
  email: Scalars['String']['input'];
  /** The six-digit code shown by the authenticator app. */
  otp: Scalars['String']['input'];
  session: Scalars['String']['input'];
};

export type ConfirmMfaPayload = {
  __typename?: 'ConfirmMfaPayload';
  mfaStatus: MfaStatus;
  /** One-time codes for a lost authenticator (recoverMfa). Shown once: store them safely. */
  recoveryCodes: Array<Scalars['String']['output']>;
  tokens: AuthTokens;
};

export type ConfirmUserInput = {
  email: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
  temporaryPassword: Scalars['String']['input'];
};

export type CreateUserInput = {
  email: Scalars['String']['input'];
  fullName: Scalars['String']['input'];
  /** E.164, e.g. +447700900123. */
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
};

export type CreateUserPayload = {
  __typename?: 'CreateUserPayload';
  email: Scalars['AWSEmail']['output'];
  status: InvitationStatus;
};

export type DeletePayload = {
  __typename?: 'DeletePayload';
  deleted: Scalars['Boolean']['output'];
};

export type DeliveryMedium =
  | 'EMAIL'
  | 'SMS';

export type DeliveryPayload = {
  __typename?: 'DeliveryPayload';
  /** Where the message went, masked (u***@e***). */
  destination: Scalars['String']['output'];
  medium: DeliveryMedium;
};

export type ForgotPasswordInput = {
  email: Scalars['String']['input'];
};

export type InvitationStatus =
  | 'INVITATION_SENT';

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type LoginPayload = {
  __typename?: 'LoginPayload';
  challenge: AuthChallenge;
  session: Scalars['String']['output'];
};

export type LogoutPayload = {
  __typename?: 'LogoutPayload';
  signedOut: Scalars['Boolean']['output'];
};

export type MfaSetup = {
  __typename?: 'MfaSetup';
  /** otpauth://totp/<Issuer>:<email>?secret=…&issuer=<Issuer> */
  otpauthUri: Scalars['String']['output'];
  qrCodeExpiresAt: Scalars['AWSDateTime']['output'];
  /** Presigned URL of the QR code PNG; expires at qrCodeExpiresAt. */
  qrCodeUrl: Scalars['AWSURL']['output'];
  /** The TOTP secret (base32), for typing into an authenticator by hand. */
  secretCode: Scalars['String']['output'];
  /** Challenge session for confirmMfa; lives a few minutes. */
  session: Scalars['String']['output'];
};

export type MfaStatus =
  | 'CONFIRMED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Administrators: deletes a user and everything the API stored for it. */
  adminDeleteUser?: Maybe<DeletePayload>;
  /** Administrators: e-mails the user a code to set a new password. */
  adminResetUserPassword?: Maybe<DeliveryPayload>;
  /** Changes the caller's password and signs every session out, this one included; the answer carries fresh tokens. */
  changePassword?: Maybe<ChangePasswordPayload>;
  /** Sets a new password with the code from forgotPassword. */
  confirmForgotPassword?: Maybe<PasswordPayload>;
  /** Proves the authenticator with a code from it, completes enrolment and signs the user in. */
  confirmMfa?: Maybe<ConfirmMfaPayload>;
  /** Replaces the temporary password and starts authenticator enrolment. */
  confirmUser?: Maybe<MfaSetup>;
  /** Creates an account; Cognito e-mails a temporary password. Same answer for an e-mail that already has an account. */
  createUser?: Maybe<CreateUserPayload>;
  /** Deletes the caller's account and everything the API stored for it. */
  deleteMe?: Maybe<DeletePayload>;
  /** E-mails a code to reset a forgotten password. Same answer for unknown e-mails. */
  forgotPassword?: Maybe<DeliveryPayload>;
  /** Sign-in step 1: password. Never returns tokens: MFA is mandatory. */
  login?: Maybe<LoginPayload>;
  /** Global sign-out: every refresh token of the caller stops working. */
  logout?: Maybe<LogoutPayload>;
  /** Lost authenticator: password plus an unused recovery code restarts enrolment with a new secret. */
  recoverMfa?: Maybe<MfaSetup>;
  /** New access and ID tokens from a refresh token. */
  refresh?: Maybe<AuthTokens>;
  /** Sends a new temporary password to an account that has not been confirmed. Same answer for unknown e-mails. */
  resendInvitation?: Maybe<DeliveryPayload>;
  /** For an account that never finished enrolment: the code login e-mailed proves the mailbox, then enrolment starts. */
  verifyEnrolmentEmail?: Maybe<MfaSetup>;
  /** Sign-in step 2: the code from the authenticator. */
  verifyMfa?: Maybe<AuthTokens>;
};


export type MutationAdminDeleteUserArgs = {
  input: AdminDeleteUserInput;
};


export type MutationAdminResetUserPasswordArgs = {
  input: AdminResetUserPasswordInput;
};


export type MutationChangePasswordArgs = {
  input: ChangePasswordInput;
};


export type MutationConfirmForgotPasswordArgs = {
  input: ConfirmForgotPasswordInput;
};


export type MutationConfirmMfaArgs = {
  input: ConfirmMfaInput;
};


export type MutationConfirmUserArgs = {
  input: ConfirmUserInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationForgotPasswordArgs = {
  input: ForgotPasswordInput;
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationRecoverMfaArgs = {
  input: RecoverMfaInput;
};


export type MutationRefreshArgs = {
  input: RefreshInput;
};


export type MutationResendInvitationArgs = {
  input: ResendInvitationInput;
};


export type MutationVerifyEnrolmentEmailArgs = {
  input: VerifyEnrolmentEmailInput;
};


export type MutationVerifyMfaArgs = {
  input: VerifyMfaInput;
};

export type PasswordPayload = {
  __typename?: 'PasswordPayload';
  status: PasswordStatus;
};

export type PasswordStatus =
  | 'PASSWORD_CHANGED';

export type Query = {
  __typename?: 'Query';
  /** Everything the API holds about the caller, for data-subject access requests. Holds no secrets. */
  exportMyData?: Maybe<Scalars['AWSJSON']['output']>;
  /** The caller's own account, read from Cognito with the caller's access token. */
  userinfo?: Maybe<UserInfo>;
};

export type RecoverMfaInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
  recoveryCode: Scalars['String']['input'];
};

export type RefreshInput = {
  refreshToken: Scalars['String']['input'];
};

export type ResendInvitationInput = {
  email: Scalars['String']['input'];
};

export type UserInfo = {
  __typename?: 'UserInfo';
  email: Scalars['AWSEmail']['output'];
  fullName?: Maybe<Scalars['String']['output']>;
  groups: Array<Scalars['String']['output']>;
  mfaEnabled: Scalars['Boolean']['output'];
  phoneNumber?: Maybe<Scalars['AWSPhone']['output']>;
  /** Cognito's immutable user id (sub). */
  userId: Scalars['ID']['output'];
};

export type VerifyEnrolmentEmailInput = {
  /** The code e-mailed to the account's address. */
  code: Scalars['String']['input'];
  email: Scalars['String']['input'];
  /** The session of the login that answered EMAIL_VERIFICATION. */
  session: Scalars['String']['input'];
};

export type VerifyMfaInput = {
  email: Scalars['String']['input'];
  otp: Scalars['String']['input'];
  session: Scalars['String']['input'];
};

/** Every root field: its arguments as the function receives them, and what it returns. */
export interface Fields {
  'Query.exportMyData': { args: Record<string, never>; result: NonNullable<Query['exportMyData']> };
  'Query.userinfo': { args: Record<string, never>; result: NonNullable<Query['userinfo']> };
  'Mutation.adminDeleteUser': { args: MutationAdminDeleteUserArgs; result: NonNullable<Mutation['adminDeleteUser']> };
  'Mutation.adminResetUserPassword': { args: MutationAdminResetUserPasswordArgs; result: NonNullable<Mutation['adminResetUserPassword']> };
  'Mutation.changePassword': { args: MutationChangePasswordArgs; result: NonNullable<Mutation['changePassword']> };
  'Mutation.confirmForgotPassword': { args: MutationConfirmForgotPasswordArgs; result: NonNullable<Mutation['confirmForgotPassword']> };
  'Mutation.confirmMfa': { args: MutationConfirmMfaArgs; result: NonNullable<Mutation['confirmMfa']> };
  'Mutation.confirmUser': { args: MutationConfirmUserArgs; result: NonNullable<Mutation['confirmUser']> };
  'Mutation.createUser': { args: MutationCreateUserArgs; result: NonNullable<Mutation['createUser']> };
  'Mutation.deleteMe': { args: Record<string, never>; result: NonNullable<Mutation['deleteMe']> };
  'Mutation.forgotPassword': { args: MutationForgotPasswordArgs; result: NonNullable<Mutation['forgotPassword']> };
  'Mutation.login': { args: MutationLoginArgs; result: NonNullable<Mutation['login']> };
  'Mutation.logout': { args: Record<string, never>; result: NonNullable<Mutation['logout']> };
  'Mutation.recoverMfa': { args: MutationRecoverMfaArgs; result: NonNullable<Mutation['recoverMfa']> };
  'Mutation.refresh': { args: MutationRefreshArgs; result: NonNullable<Mutation['refresh']> };
  'Mutation.resendInvitation': { args: MutationResendInvitationArgs; result: NonNullable<Mutation['resendInvitation']> };
  'Mutation.verifyEnrolmentEmail': { args: MutationVerifyEnrolmentEmailArgs; result: NonNullable<Mutation['verifyEnrolmentEmail']> };
  'Mutation.verifyMfa': { args: MutationVerifyMfaArgs; result: NonNullable<Mutation['verifyMfa']> };
}

export type FieldName = keyof Fields;

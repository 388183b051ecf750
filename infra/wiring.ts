/**
 * The wiring table: GraphQL field -> resolver file -> Lambda function -> IAM actions.
 *
 * The local AppSync (local/) and the CDK stack (infra/) both read this table, so the API on a laptop
 * and the API on AWS cannot drift apart. Who may call a field is not here: the schema's directives
 * say it, AppSync enforces it, and the one shared resolver request reads how AppSync authorised the
 * call. The build checks the table against the schema, the resolver files and the function folders
 * (scripts/build-resolvers.ts); CONTRIBUTING.md lists the files a new operation needs.
 *
 * IAM: the public, token-bound Cognito calls (InitiateAuth, RespondToAuthChallenge, GetUser,
 * GlobalSignOut, ChangePassword, AssociateSoftwareToken, …) are authorised by the caller's
 * credentials, not by IAM, so functions that only make those calls get no Cognito permissions.
 */

import type { StoredObjectKind } from '../functions/domain/stored-objects';
import type { FieldName } from '../schema/generated/types';

export type CognitoAction =
  | 'AdminCreateUser'
  | 'AdminGetUser'
  | 'AdminDeleteUser'
  | 'AdminResetUserPassword'
  | 'AdminSetUserMFAPreference'
  | 'AdminUserGlobalSignOut'
  | 'AdminListGroupsForUser';

/**
 * What a function does to the MFA bucket: s3:PutObject / s3:GetObject / s3:DeleteObject on the objects,
 * or s3:ListBucket limited to the kind's key prefix.
 */
export type BucketAccess = 'put' | 'get' | 'delete' | 'list';

export type { StoredObjectKind };
export type BucketGrants = Readonly<Partial<Record<StoredObjectKind, readonly BucketAccess[]>>>;

export interface Operation {
  readonly typeName: 'Query' | 'Mutation';
  readonly fieldName: string;
  /** Folder under functions/ holding handler.ts. */
  readonly functionName: string;
  readonly cognito: readonly CognitoAction[];
  /** Per kind of object (its key prefix): what the function does to it. Nothing else in the bucket. */
  readonly bucket: BucketGrants;
  /**
   * Reads the app client's secret: for the SECRET_HASH of sign-in, challenge and password-reset calls,
   * and for sealing enrolment sessions. Token-bound and admin calls need no secret.
   */
  readonly clientSecret: boolean;
  /**
   * Checks a password or code guessed per account: reads and writes the guess-bounds table
   * (functions/domain/guess-bounds.ts), and nothing else in it.
   */
  readonly guessBounds: boolean;
  /** Sends mail bounded per address (functions/domain/mail-bounds.ts): the same table, the same writes. */
  readonly mailBounds: boolean;
  /** Issues or checks recovery codes: reads the key they are hashed with. */
  readonly recoveryKey: boolean;
}

const op = (
  field: FieldName,
  cognito: readonly CognitoAction[] = [],
  bucket: BucketGrants = {},
  uses: { clientSecret?: boolean; guessBounds?: boolean; mailBounds?: boolean; recoveryKey?: boolean } = {},
): Operation => {
  const [typeName, fieldName] = field.split('.') as ['Query' | 'Mutation', string];
  return {
    typeName,
    fieldName,
    functionName: fieldName,
    cognito,
    bucket,
    clientSecret: uses.clientSecret ?? false,
    guessBounds: uses.guessBounds ?? false,
    mailBounds: uses.mailBounds ?? false,
    recoveryKey: uses.recoveryKey ?? false,
  };
};

const SECRET = { clientSecret: true } as const;
/** Sends mail: bounded per address. */
const MAIL = { mailBounds: true } as const;
/** Checks a secret someone could guess: the client secret for Cognito, the table for the bound. */
const GUESSED = { clientSecret: true, guessBounds: true } as const;
/** Also issues or checks recovery codes. */
const RECOVERY = { ...GUESSED, recoveryKey: true } as const;

export const OPERATIONS: readonly Operation[] = [
  op('Mutation.createUser', ['AdminCreateUser'], {}, MAIL),
  op('Mutation.resendInvitation', ['AdminCreateUser'], {}, MAIL),
  op('Mutation.confirmUser', [], { qr: ['put', 'get'] }, GUESSED),
  op('Mutation.confirmMfa', [], { qr: ['delete'], recovery: ['get', 'put'] }, RECOVERY),
  op('Mutation.login', [], { recovery: ['get'] }, { ...GUESSED, ...MAIL }),
  op('Mutation.verifyEnrolmentEmail', [], { qr: ['put', 'get', 'delete'], recovery: ['get'] }, GUESSED),
  op('Mutation.verifyMfa', [], {}, GUESSED),
  op('Mutation.refresh', [], {}, SECRET),
  op('Query.userinfo'),
  op('Mutation.logout'),
  op('Mutation.forgotPassword', [], {}, { ...SECRET, ...MAIL }),
  op('Mutation.confirmForgotPassword', ['AdminUserGlobalSignOut'], {}, GUESSED),
  op('Mutation.changePassword', ['AdminUserGlobalSignOut'], {}, GUESSED),
  op('Mutation.deleteMe', [], { qr: ['list', 'delete'], recovery: ['delete'] }),
  op('Query.exportMyData', ['AdminGetUser', 'AdminListGroupsForUser'], { recovery: ['get'] }),
  op(
    'Mutation.recoverMfa',
    ['AdminUserGlobalSignOut', 'AdminSetUserMFAPreference'],
    { qr: ['put', 'get'], recovery: ['get', 'put'] },
    RECOVERY,
  ),
  op('Mutation.adminResetUserPassword', ['AdminListGroupsForUser', 'AdminResetUserPassword']),
  op('Mutation.adminDeleteUser', ['AdminListGroupsForUser', 'AdminGetUser', 'AdminDeleteUser'], {
    qr: ['list', 'delete'],
    recovery: ['delete'],
  }),
];

/** `Mutation.login` -> `Mutation.login.ts`: file names are the wiring. */
export const resolverFileOf = (o: Pick<Operation, 'typeName' | 'fieldName'>): string =>
  `${o.typeName}.${o.fieldName}`;

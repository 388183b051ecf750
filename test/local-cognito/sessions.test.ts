/**
 * Contract of the local Cognito for challenge sessions: a session is used once, belongs to one user,
 * answers only once its step is done, and expires after the app client's AuthSessionValidity. API
 * reference RespondToAuthChallenge, UserPoolClientType AuthSessionValidity.
 */
import { AssociateSoftwareTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { localOnly } from '../contract/target';
import {
  confirmPassword,
  createUser,
  expectCognitoError,
  passwordAuth,
  removeDir,
  respond,
  startHarness,
  STRONG_PASSWORD,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const PAST_SESSION_VALIDITY = 'moves the clock past the 3-minute AuthSessionValidity';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

describe('challenge sessions', () => {
  it('refuses unknown and already used challenge sessions', async () => {
    // API reference: RespondToAuthChallenge (NotAuthorizedException); a session is used once.
    const email = uniqueEmail('session');
    const first = await passwordAuth(h, email, await createUser(h, email));
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', 'A'.repeat(120), {
        USERNAME: email,
        NEW_PASSWORD: STRONG_PASSWORD,
      }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
      USERNAME: email,
      NEW_PASSWORD: STRONG_PASSWORD,
    });
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, { USERNAME: email, NEW_PASSWORD: STRONG_PASSWORD }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    // A session is bound to its user too.
    const other = uniqueEmail('session-other');
    await createUser(h, other);
    const second = await passwordAuth(h, email, STRONG_PASSWORD);
    await expectCognitoError(
      h.client.send(new AssociateSoftwareTokenCommand({ Session: 'B'.repeat(120) })),
      'NotAuthorizedException',
    );
    await expectCognitoError(
      respond(h, 'MFA_SETUP', second.Session, { USERNAME: other }),
      'NotAuthorizedException',
    );
  });

  it('refuses MFA_SETUP answered before VerifySoftwareToken succeeded (local choice: "Invalid session for the user.", undocumented)', async () => {
    // API reference RespondToAuthChallenge (MFA_SETUP comes after VerifySoftwareToken); what Cognito
    // answers for an unverified setup is not documented.
    const email = uniqueEmail('setup-early');
    const session = await confirmPassword(h, email, await createUser(h, email));
    const associated = await h.client.send(new AssociateSoftwareTokenCommand({ Session: session }));
    await expectCognitoError(
      respond(h, 'MFA_SETUP', associated.Session, { USERNAME: email }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
  });

  localOnly(PAST_SESSION_VALIDITY)(
    'refuses a challenge session once its validity (AuthSessionValidity, 3 minutes) has passed',
    async () => {
      // API reference: UserPoolClientType AuthSessionValidity; RespondToAuthChallenge (NotAuthorizedException).
      const email = uniqueEmail('expired-session');
      const first = await passwordAuth(h, email, await createUser(h, email));
      h.clock.advance(h.settings.tokens.authSessionValidityMinutes * 60_000 + 1_000);
      await expectCognitoError(
        respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
          USERNAME: email,
          NEW_PASSWORD: STRONG_PASSWORD,
        }),
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    },
  );
});

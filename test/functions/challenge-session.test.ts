/**
 * login's challenge session is bound to the e-mail that signed in, so verifyMfa's guess bound (kept
 * per e-mail) always counts against the account the session belongs to. Unit test with a fake Cognito
 * that answers any USERNAME, because whether real Cognito checks USERNAME against the session is not
 * documented: the API must refuse before Cognito is asked. The HTTP road: test/security/guess-bounds.
 */
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/runtime/clients';
import type { Config } from '../../functions/runtime/config';
import { bindChallenge, openChallenge } from '../../functions/domain/challenge-session';
import { verifyMfa } from '../../functions/domain/sign-in';

const COGNITO_SESSION = 'AYABeC0gnito-session-' + 'x'.repeat(900);

function fakeDeps(sent: string[]): Deps {
  return {
    config: { userPoolId: 'pool', userPoolClientId: 'client' } as unknown as Config,
    clientSecret: { value: async () => 'client secret' },
    cognito: {
      // Answers every challenge with tokens, whoever USERNAME names: the case the binding guards.
      async send(command: { constructor: { name: string } }) {
        sent.push(command.constructor.name);
        return {
          AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
        };
      },
    },
  } as unknown as Deps;
}

describe('challenge sessions', () => {
  it('open for the e-mail that signed in and give back Cognito’s session', async () => {
    const deps = fakeDeps([]);
    const bound = await bindChallenge(deps, 'owner@example.com', COGNITO_SESSION);
    expect(await openChallenge(deps, 'owner@example.com', bound)).toBe(COGNITO_SESSION);
  });

  it.each([
    ['another e-mail', async (bound: string) => ({ email: 'other@example.com', session: bound })],
    [
      'Cognito’s session without the binding',
      async () => ({ email: 'owner@example.com', session: COGNITO_SESSION }),
    ],
    [
      'an altered tag',
      async (bound: string) => ({
        email: 'owner@example.com',
        session: bound.slice(0, -1) + (bound.endsWith('A') ? 'B' : 'A'),
      }),
    ],
    [
      'an altered session',
      async (bound: string) => ({ email: 'owner@example.com', session: 'B' + bound.slice(1) }),
    ],
  ])('refuse %s before Cognito is asked', async (_, make) => {
    const sent: string[] = [];
    const deps = fakeDeps(sent);
    const { email, session } = await make(await bindChallenge(deps, 'owner@example.com', COGNITO_SESSION));
    await expect(verifyMfa(deps, { email, session, otp: '123456' })).rejects.toMatchObject({
      type: 'SESSION_EXPIRED',
    });
    expect(sent).toEqual([]);
  });
});

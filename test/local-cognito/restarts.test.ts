/**
 * The local Cognito's state across restarts and under concurrent writes: not AWS behaviours but this
 * layer's, which keeps its state under .local/ so that it survives restarts. Each test starts the
 * stand-in on a data directory of its own, twice.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect } from 'vitest';
import { localOnly } from '../contract/target';
import { enrolledUser, passwordAuth, removeDir, signIn, startHarness, uniqueEmail } from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const RESTART = 'restarts the stand-in on the same data directory';

describe('state across restarts', () => {
  localOnly(RESTART)(
    'keeps users, groups and MFA enrolment when restarted on the same data directory',
    async () => {
      // Not an AWS behaviour: the local stack keeps its state under .local/ so it survives restarts.
      const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-restart-'));
      const first = await startHarness({ dataDir });
      const { email, secret, tokens } = await enrolledUser(first, 'restart');
      await first.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: first.cognito.userPoolId,
          Username: email,
          GroupName: 'admins',
        }),
      );
      const ids = [first.cognito.userPoolId, first.cognito.userPoolClientId];
      const port = Number(new URL(first.serviceUrl).port);
      await first.close();

      const second = await startHarness({ dataDir, port, clock: first.clock });
      try {
        expect([second.cognito.userPoolId, second.cognito.userPoolClientId]).toEqual(ids);
        const user = await second.client.send(
          new AdminGetUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
        );
        expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
        const groups = await second.client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
        );
        expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins']);
        expect(
          (await second.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username,
        ).toBe(user.Username);
        const signedIn = await signIn(second, email, secret);
        expect(signedIn.AccessToken).toBeTruthy();
      } finally {
        await second.close();
        await removeDir(dataDir);
      }
    },
  );

  localOnly(RESTART)('creates 50 users in parallel, and all 50 are still there after a restart', async () => {
    // API reference: AdminCreateUser. A regression test of this layer's store and queue (without the
    // queue, 16 of 50 were refused): plain cognito-local also keeps all 50.
    const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-parallel-'));
    const first = await startHarness({ dataDir, clock: null });
    const emails = Array.from({ length: 50 }, (_, i) => uniqueEmail(`parallel${i}`));
    const results = await Promise.allSettled(
      emails.map((email) =>
        first.client.send(
          new AdminCreateUserCommand({
            UserPoolId: first.cognito.userPoolId,
            Username: email,
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(first.mailbox).toHaveLength(50);
    await first.close();

    const second = await startHarness({ dataDir, clock: null });
    try {
      const found = await Promise.all(
        emails.map((email) =>
          second.client.send(
            new AdminGetUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
          ),
        ),
      );
      expect(found.map((u) => u.UserStatus)).toEqual(emails.map(() => 'FORCE_CHANGE_PASSWORD'));
      // The real clock works too: a temporary password from before the restart still starts the flow.
      const started = await passwordAuth(second, emails[0] as string, first.mailbox[0]?.code as string);
      expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    } finally {
      await second.close();
      await removeDir(dataDir);
    }
  });
});

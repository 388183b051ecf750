/** Administrator rights end when the membership ends, not when the token does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDeleteUserDocument, AdminResetUserPasswordDocument } from '../generated/graphql';
import {
  addToGroup,
  enrolUser,
  expectRefused,
  signIn,
  startApi,
  uniqueEmail,
  type Api,
} from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

describe('admin operations', () => {
  it('refuse a former administrator whose token still says admins', async () => {
    const former = await enrolUser(api, uniqueEmail('former-admin'));
    await addToGroup(api, former.email, 'admins');
    const accessToken = (await signIn(api, former)).accessToken;
    const target = await enrolUser(api, uniqueEmail('target'));

    const before = await api.call(
      AdminResetUserPasswordDocument,
      { input: { email: target.email } },
      { accessToken },
    );
    expect(before.errors).toEqual([]);

    await addToGroup(api, former.email, 'admins', false);
    // Same token, still carrying cognito:groups = admins, still unexpired.
    const reset = await api.call(
      AdminResetUserPasswordDocument,
      { input: { email: target.email } },
      { accessToken },
    );
    expectRefused(reset, 'FORBIDDEN', 'adminResetUserPassword');
    const deleted = await api.call(
      AdminDeleteUserDocument,
      { input: { email: target.email } },
      { accessToken },
    );
    expectRefused(deleted, 'FORBIDDEN', 'adminDeleteUser');
  });
});

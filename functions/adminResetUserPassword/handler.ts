import { z } from 'zod';
import { adminResetUserPassword } from '../shared/admin';
import { operation } from '../shared/operation';
import { email } from '../shared/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.adminResetUserPassword',
  input,
  ({ input, deps, identity, accessToken }) => adminResetUserPassword(deps, identity, accessToken, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

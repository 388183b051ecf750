import * as z from 'zod/mini';
import { adminResetUserPassword } from '../domain/admin';
import { operation } from '../runtime/operation';
import { email } from '../runtime/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.adminResetUserPassword',
  input,
  ({ input, deps, identity, accessToken }) => adminResetUserPassword(deps, identity, accessToken, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

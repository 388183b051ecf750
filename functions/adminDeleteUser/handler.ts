import * as z from 'zod/mini';
import { adminDeleteUser } from '../domain/admin';
import { operation } from '../runtime/operation';
import { email } from '../runtime/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.adminDeleteUser',
  input,
  ({ input, deps, identity, accessToken }) => adminDeleteUser(deps, identity, accessToken, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

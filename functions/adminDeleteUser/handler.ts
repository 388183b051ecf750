import { z } from 'zod';
import { adminDeleteUser } from '../shared/admin';
import { operation } from '../shared/operation';
import { email } from '../shared/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.adminDeleteUser',
  input,
  ({ input, deps, identity, accessToken }) => adminDeleteUser(deps, identity, accessToken, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

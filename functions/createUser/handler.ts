import { createUser } from '../shared/accounts';
import { operation } from '../shared/operation';
import { email, fullName, phoneNumber } from '../shared/validation';
import { z } from 'zod';

const input = z.object({ email, fullName, phoneNumber: phoneNumber.nullish() });

export const handler = operation(
  'Mutation.createUser',
  input,
  ({ input, deps }) => createUser(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

import { createUser } from '../domain/invitations';
import { operation } from '../runtime/operation';
import { email, fullName, phoneNumber } from '../runtime/validation';
import * as z from 'zod';

const input = z.object({ email, fullName, phoneNumber: phoneNumber.nullish() });

export const handler = operation(
  'Mutation.createUser',
  input,
  ({ input, deps }) => createUser(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

import { createUser } from '../domain/invitations';
import { operation } from '../runtime/operation';
import { email, fullName, phoneNumber } from '../runtime/validation';
import * as z from 'zod/mini';

const input = z.object({ email, fullName, phoneNumber: z.nullish(phoneNumber) });

export const handler = operation(
  'Mutation.createUser',
  input,
  ({ input, deps }) => createUser(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

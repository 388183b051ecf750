import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { forgotPassword } from '../domain/passwords';
import { email } from '../runtime/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.forgotPassword',
  input,
  ({ input, deps }) => forgotPassword(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

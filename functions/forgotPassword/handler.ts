import { z } from 'zod';
import { operation } from '../shared/operation';
import { forgotPassword } from '../shared/passwords';
import { email } from '../shared/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.forgotPassword',
  input,
  ({ input, deps }) => forgotPassword(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

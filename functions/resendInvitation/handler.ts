import { z } from 'zod';
import { resendInvitation } from '../shared/accounts';
import { operation } from '../shared/operation';
import { email } from '../shared/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.resendInvitation',
  input,
  ({ input, deps }) => resendInvitation(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

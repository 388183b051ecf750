import * as z from 'zod/mini';
import { resendInvitation } from '../domain/invitations';
import { operation } from '../runtime/operation';
import { email } from '../runtime/validation';

const input = z.object({ email });

export const handler = operation(
  'Mutation.resendInvitation',
  input,
  ({ input, deps }) => resendInvitation(deps, input),
  // Same answer in the same time, account or not.
  { uniformLatency: true },
);

import { z } from 'zod';
import { operation } from '../shared/operation';
import { confirmForgotPassword } from '../shared/passwords';
import { email, password, verificationCode } from '../shared/validation';

const input = z.object({ email, code: verificationCode, newPassword: password });

// Timing: an existing account costs Cognito more work than an unknown e-mail; the floor hides it.
export const handler = operation(
  'Mutation.confirmForgotPassword',
  input,
  ({ input, deps }) => confirmForgotPassword(deps, input),
  { uniformLatency: true },
);

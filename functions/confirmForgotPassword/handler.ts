import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { confirmForgotPassword } from '../domain/passwords';
import { email, password, verificationCode } from '../runtime/validation';

const input = z.object({ email, code: verificationCode, newPassword: password });

// Timing: an existing account costs Cognito more work than an unknown e-mail; the floor hides it.
export const handler = operation(
  'Mutation.confirmForgotPassword',
  input,
  ({ input, deps }) => confirmForgotPassword(deps, input),
  { uniformLatency: true },
);

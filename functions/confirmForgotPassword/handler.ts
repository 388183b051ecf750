import { z } from 'zod';
import { operation } from '../shared/operation';
import { confirmForgotPassword } from '../shared/passwords';
import { email, password, verificationCode } from '../shared/validation';

const input = z.object({ email, code: verificationCode, newPassword: password });

export const handler = operation('Mutation.confirmForgotPassword', input, ({ input, deps }) =>
  confirmForgotPassword(deps, input),
);

import { z } from 'zod';
import { operation } from '../shared/operation';
import { confirmUser } from '../shared/sign-in';
import { email, password } from '../shared/validation';

const input = z.object({ email, temporaryPassword: password, newPassword: password });

export const handler = operation('Mutation.confirmUser', input, ({ input, deps }) =>
  confirmUser(deps, input),
);

import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { confirmUser } from '../domain/enrolment';
import { email, password } from '../runtime/validation';

const input = z.object({ email, temporaryPassword: password, newPassword: password });

export const handler = operation('Mutation.confirmUser', input, ({ input, deps }) =>
  confirmUser(deps, input),
);

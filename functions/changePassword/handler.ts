import { z } from 'zod';
import { operation } from '../runtime/operation';
import { changePassword } from '../domain/passwords';
import { password } from '../runtime/validation';

const input = z.object({ oldPassword: password, newPassword: password });

export const handler = operation('Mutation.changePassword', input, ({ input, deps, accessToken }) =>
  changePassword(deps, accessToken, input),
);

import { z } from 'zod';
import { operation } from '../shared/operation';
import { changePassword } from '../shared/passwords';
import { password } from '../shared/validation';

const input = z.object({ oldPassword: password, newPassword: password });

export const handler = operation('Mutation.changePassword', input, ({ input, deps, accessToken }) =>
  changePassword(deps, accessToken, input),
);

import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { changePassword } from '../domain/passwords';
import { otp, password } from '../runtime/validation';

const input = z.object({ oldPassword: password, newPassword: password, otp });

export const handler = operation('Mutation.changePassword', input, ({ input, deps, identity, accessToken }) =>
  changePassword(deps, identity, accessToken, input),
);

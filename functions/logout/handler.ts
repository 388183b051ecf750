import * as z from 'zod/mini';
import { logout } from '../domain/sign-in';
import { operation } from '../runtime/operation';

export const handler = operation('Mutation.logout', z.object({}), ({ deps, accessToken }) =>
  logout(deps, accessToken),
);

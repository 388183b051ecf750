import { z } from 'zod';
import { logout } from '../shared/me';
import { operation } from '../shared/operation';

export const handler = operation('Mutation.logout', z.object({}), ({ deps, accessToken }) =>
  logout(deps, accessToken),
);

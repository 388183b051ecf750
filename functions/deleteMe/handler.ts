import * as z from 'zod';
import { deleteMe } from '../domain/me';
import { operation } from '../runtime/operation';

export const handler = operation('Mutation.deleteMe', z.object({}), ({ deps, identity, accessToken }) =>
  deleteMe(deps, identity, accessToken),
);

import * as z from 'zod/mini';
import { deleteMe } from '../domain/me';
import { operation } from '../runtime/operation';

export const handler = operation('Mutation.deleteMe', z.object({}), ({ deps, identity, accessToken }) =>
  deleteMe(deps, identity, accessToken),
);

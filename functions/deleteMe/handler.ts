import { z } from 'zod';
import { deleteMe } from '../shared/account-data';
import { operation } from '../shared/operation';

export const handler = operation('Mutation.deleteMe', z.object({}), ({ deps, identity, accessToken }) =>
  deleteMe(deps, identity, accessToken),
);

import * as z from 'zod/mini';
import { userinfo } from '../domain/me';
import { operation } from '../runtime/operation';

export const handler = operation('Query.userinfo', z.object({}), ({ deps, identity, accessToken }) =>
  userinfo(deps, identity, accessToken),
);

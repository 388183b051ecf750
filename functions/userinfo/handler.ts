import { z } from 'zod';
import { userinfo } from '../shared/me';
import { operation } from '../shared/operation';

export const handler = operation('Query.userinfo', z.object({}), ({ deps, identity, accessToken }) =>
  userinfo(deps, identity, accessToken),
);

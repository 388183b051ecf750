import * as z from 'zod/mini';
import { exportMyData } from '../domain/me';
import { operation } from '../runtime/operation';

export const handler = operation('Query.exportMyData', z.object({}), ({ deps, identity, accessToken }) =>
  exportMyData(deps, identity, accessToken),
);

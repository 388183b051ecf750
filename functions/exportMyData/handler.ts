import { z } from 'zod';
import { exportMyData } from '../shared/account-data';
import { operation } from '../shared/operation';

export const handler = operation('Query.exportMyData', z.object({}), ({ deps, identity, accessToken }) =>
  exportMyData(deps, identity, accessToken),
);

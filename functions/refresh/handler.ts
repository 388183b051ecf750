import { z } from 'zod';
import { operation } from '../shared/operation';
import { refresh } from '../shared/sign-in';
import { refreshToken } from '../shared/validation';

const input = z.object({ refreshToken });

export const handler = operation('Mutation.refresh', input, ({ input, deps }) => refresh(deps, input));

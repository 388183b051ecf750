import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { refresh } from '../domain/sign-in';
import { refreshToken } from '../runtime/validation';

const input = z.object({ refreshToken });

export const handler = operation('Mutation.refresh', input, ({ input, deps }) => refresh(deps, input));

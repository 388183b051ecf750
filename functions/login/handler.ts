import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { login } from '../domain/sign-in';
import { email, password } from '../runtime/validation';

const input = z.object({ email, password });

export const handler = operation('Mutation.login', input, ({ input, deps }) => login(deps, input));

import { z } from 'zod';
import { operation } from '../shared/operation';
import { login } from '../shared/sign-in';
import { email, password } from '../shared/validation';

const input = z.object({ email, password });

export const handler = operation('Mutation.login', input, ({ input, deps }) => login(deps, input));

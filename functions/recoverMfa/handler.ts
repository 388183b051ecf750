import { z } from 'zod';
import { operation } from '../shared/operation';
import { recoverMfa } from '../shared/sign-in';
import { email, password, recoveryCode } from '../shared/validation';

const input = z.object({ email, password, recoveryCode });

export const handler = operation('Mutation.recoverMfa', input, ({ input, deps }) => recoverMfa(deps, input));

import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { recoverMfa } from '../domain/enrolment';
import { email, password, recoveryCode } from '../runtime/validation';

const input = z.object({ email, password, recoveryCode });

export const handler = operation('Mutation.recoverMfa', input, ({ input, deps }) => recoverMfa(deps, input));

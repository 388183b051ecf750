import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { verifyMfa } from '../domain/sign-in';
import { email, otp, session } from '../runtime/validation';

const input = z.object({ email, session, otp });

export const handler = operation('Mutation.verifyMfa', input, ({ input, deps }) => verifyMfa(deps, input));

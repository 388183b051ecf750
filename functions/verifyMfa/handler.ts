import { z } from 'zod';
import { operation } from '../shared/operation';
import { verifyMfa } from '../shared/sign-in';
import { email, otp, session } from '../shared/validation';

const input = z.object({ email, session, otp });

export const handler = operation('Mutation.verifyMfa', input, ({ input, deps }) => verifyMfa(deps, input));

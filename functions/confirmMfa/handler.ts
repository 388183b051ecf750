import { z } from 'zod';
import { operation } from '../shared/operation';
import { confirmMfa } from '../shared/sign-in';
import { email, enrolmentSession, otp } from '../shared/validation';

const input = z.object({ email, session: enrolmentSession, otp });

export const handler = operation('Mutation.confirmMfa', input, ({ input, deps }) => confirmMfa(deps, input));

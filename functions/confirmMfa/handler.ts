import * as z from 'zod/mini';
import { operation } from '../runtime/operation';
import { confirmMfa } from '../domain/enrolment';
import { email, enrolmentSession, otp } from '../runtime/validation';

const input = z.object({ email, session: enrolmentSession, otp });

export const handler = operation('Mutation.confirmMfa', input, ({ input, deps }) => confirmMfa(deps, input));

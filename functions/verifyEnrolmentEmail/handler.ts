import * as z from 'zod/mini';
import { verifyEnrolmentEmail } from '../domain/enrolment';
import { operation } from '../runtime/operation';
import { email, enrolmentSession, verificationCode } from '../runtime/validation';

const input = z.object({ email, session: enrolmentSession, code: verificationCode });

export const handler = operation('Mutation.verifyEnrolmentEmail', input, ({ input, deps }) =>
  verifyEnrolmentEmail(deps, input),
);

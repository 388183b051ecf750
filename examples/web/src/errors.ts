/**
 * Puts an API refusal next to the field it concerns. Each form says which field a catalogue type is
 * about (CODE_MISMATCH → the code field); BAD_USER_INPUT names its field itself; the rest are said
 * at the top of the form.
 */
import type { ErrorType } from '../../../schema/errors';
import { authErrorOf } from '../../apollo-link';

export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

export const UNREACHABLE =
  'The API could not be reached or gave an unexpected answer. Try again in a moment.';

export function formErrorsOf<F extends string>(
  error: unknown,
  fields: readonly F[],
  byType: Partial<Record<ErrorType, F>> = {},
): FormErrors<F> {
  const refusal = authErrorOf(error);
  const out: FormErrors<F> = {};
  if (!refusal) {
    out.form = UNREACHABLE;
    return out;
  }
  const named = fields.find((f) => f === refusal.field);
  const field = named ?? byType[refusal.type];
  if (field) out[field] = refusal.message;
  else out.form = refusal.message;
  return out;
}

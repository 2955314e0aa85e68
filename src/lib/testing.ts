/** For unit tests of pure rules: the field errors a call throws, in the form pages and the API show them. */
import { ValidationError, type FieldErrors } from './errors.ts';

export function fieldsOf(fn: () => unknown): FieldErrors {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

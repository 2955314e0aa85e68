/** For unit tests of pure rules: the field errors a call throws, in the form pages and the API show them; {} when it throws none. */
import { ValidationError, type FieldErrors } from './errors.ts';

export function fieldsOf(fn: () => unknown): FieldErrors {
  try {
    fn();
    return {};
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
}

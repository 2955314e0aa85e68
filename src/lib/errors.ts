/**
 * Errors services throw for things the user can fix. The web layer shows them
 * in a GOV.UK error summary; the API returns {error:{code,message,fields}}.
 */

/** Field name → message, in the order the fields appear on the form. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends Error {
  readonly fields: FieldErrors;
  constructor(fields: FieldErrors, message = 'There is a problem') {
    super(message);
    this.fields = fields;
  }
}

export class NotFoundError extends Error {}

/** The request conflicts with what is there already (a duplicate slug, say). */
export class ConflictError extends Error {
  readonly fields: FieldErrors;
  constructor(message: string, fields: FieldErrors = {}) {
    super(message);
    this.fields = fields;
  }
}

/** Collects field errors while checking input, then throws them all at once. */
export class FieldChecker {
  readonly errors: FieldErrors = {};
  add(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }
  check(condition: boolean, field: string, message: string): void {
    if (!condition) this.add(field, message);
  }
  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}

/** Trimmed text, or '' for anything else; form and JSON input both arrive untyped. */
export const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
export const optionalText = (value: unknown): string | null => text(value) || null;

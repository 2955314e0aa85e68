/**
 * Form handling the GOV.UK way: on bad input, show the same page again with an
 * error summary at the top and a message by each field, keeping what was typed.
 */
import type { FastifyReply } from 'fastify';
import { ConflictError, ValidationError, type FieldErrors } from '../errors.ts';

export interface ErrorSummaryItem {
  text: string;
  href: string;
}

export const errorList = (errors: FieldErrors): ErrorSummaryItem[] =>
  Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }));

/** Field errors for a failure the user can fix, or null for anything else. */
export function userFixableErrors(err: unknown): FieldErrors | null {
  if (err instanceof ValidationError || err instanceof ConflictError) {
    return Object.keys(err.fields).length > 0 ? err.fields : { form: err.message };
  }
  return null;
}

/**
 * Run a form's change; on a fixable error re-render the form (status 400) with
 * the errors and the values entered. Anything else goes to the error handler.
 */
export async function handleForm(
  reply: FastifyReply,
  view: { template: string; data: Record<string, unknown>; values: unknown },
  change: () => Promise<void>,
): Promise<FastifyReply | undefined> {
  try {
    await change();
    return undefined;
  } catch (err) {
    const errors = userFixableErrors(err);
    if (!errors) throw err;
    return reply.code(400).view(view.template, { ...view.data, values: view.values, errors, errorList: errorList(errors) });
  }
}

/** Nunjucks with govuk-frontend's macros, plus the filters every page uses. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { formatPence } from '../money.ts';
import { formatDate, formatDateTime } from '../dates.ts';
import { ROLE_LABELS, isRole } from '../auth/policy.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Where templates are found: shared views, each module's own views, then govuk-frontend. */
export const templatePaths = [path.join(root, 'src/views'), path.join(root, 'src/modules'), path.join(root, 'node_modules/govuk-frontend/dist')];

export function configureNunjucks(env: nunjucks.Environment): void {
  env.addFilter('pence', (p: number | null | undefined) => (p == null ? '' : formatPence(p)));
  env.addFilter('wholePence', (p: number | null | undefined) => (p == null ? '' : formatPence(p, { wholePounds: true })));
  env.addFilter('date', (d: string | Date | null | undefined) => (d ? formatDate(d) : ''));
  env.addFilter('dateTime', (d: Date | null | undefined) => (d ? formatDateTime(d) : ''));
  env.addFilter('roleLabel', (r: string) => (isRole(r) ? ROLE_LABELS[r] : r));
  env.addFilter('number', (n: number | null | undefined) => (n == null ? '' : n.toLocaleString('en-GB')));
  /** The GOV.UK error message object for one field, or undefined when it has none. */
  env.addFilter('fieldError', (errors: Record<string, string> | undefined, field: string) =>
    errors && errors[field] ? { text: errors[field] } : undefined,
  );
  /** Items for govukSelect/govukRadios/govukCheckboxes from [value, text] pairs, with the current value(s) chosen. */
  env.addFilter('options', (pairs: [string, string][], current: unknown, field: 'selected' | 'checked' = 'selected') => {
    const chosen = new Set((Array.isArray(current) ? current : [current]).map(String));
    return pairs.map(([value, text]) => ({ value, text, [field]: chosen.has(value) }));
  });
  env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2));
}

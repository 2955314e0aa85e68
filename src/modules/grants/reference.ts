/**
 * Councils' own org-ids (GB-LAE-…, GB-LAS-…, GB-PLA-…, GB-LANI-…) by GSS code, from the
 * published org-id → GSS lookup (reference-data/grants/README.md). Replace the file for a newer edition.
 */
import fs from 'node:fs';

const FILE = new URL('../../../reference-data/grants/la-orgid-to-gss.csv', import.meta.url);
let byGss: Map<string, string> | null = null;

/** The active org-id of the council with this GSS code, or null when the lookup has none. */
export function councilOrgId(gssCode: string | null): string | null {
  if (!gssCode) return null;
  if (!byGss) {
    byGss = new Map();
    // org_id,name,normalised_name,gss_code,area_name,area_type,active — names may hold quoted commas,
    // so the GSS code is found by its shape rather than its position.
    for (const line of fs.readFileSync(FILE, 'utf8').split(/\r?\n/).slice(1)) {
      const cells = line.split(',');
      const [orgId, gss, active] = [cells[0], cells.find((c) => /^[ENSW]\d{8}$/.test(c)), cells.at(-1)];
      if (orgId && gss && active === 'TRUE') byGss.set(gss, orgId);
    }
  }
  return byGss.get(gssCode) ?? null;
}

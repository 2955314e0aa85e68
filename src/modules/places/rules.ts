/** Pure rules about places: GSS codes, postcodes, and the packed ONSPD ward index. */

/** ONS GSS code: a letter and two digits for the entity (E05 ward, E09 London borough…) then six digits. */
export const isGssCode = (value: string): boolean => /^[EWSN]\d{8}$/.test(value);

export const GSS_ENTITY = { ward: ['E05', 'W05', 'S13', 'N08'], localAuthority: ['E06', 'E07', 'E08', 'E09', 'W06', 'S12', 'N09'] } as const;

export const isWardCode = (value: string): boolean => isGssCode(value) && GSS_ENTITY.ward.some((p) => value.startsWith(p));
export const isLocalAuthorityCode = (value: string): boolean =>
  isGssCode(value) && GSS_ENTITY.localAuthority.some((p) => value.startsWith(p));

/** Slugs appear in URLs and on the command line: lower-case letters, digits and hyphens. */
export const isSlug = (value: string): boolean => /^[a-z][a-z0-9-]{1,39}$/.test(value) && !value.endsWith('-');

/**
 * "sw2 1rw", "SW21RW" and " Sw2  1RW " are the same postcode: outward and inward
 * parts, upper-case, one space. Returns null for anything that cannot be one.
 */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const m = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact);
  return m ? `${m[1]} ${m[2]}` : null;
}

export interface PostcodeIndex {
  boroughs: { code: string; name: string }[];
  wards: { code: string; name: string; borough: number }[];
  postcodes: Record<string, Record<string, string>>;
}

export interface PostcodePlace {
  postcode: string;
  wardCode: string;
  wardName: string;
  localAuthorityCode: string;
  localAuthorityName: string;
}

/** Find a normalised postcode in the packed index; inward codes match only on 3-character boundaries. */
export function findPostcode(index: PostcodeIndex, postcode: string): PostcodePlace | null {
  const [outward, inward] = postcode.split(' ') as [string, string | undefined];
  if (!inward) return null;
  const byWard = index.postcodes[outward];
  if (!byWard) return null;
  for (const [wardIndex, packed] of Object.entries(byWard)) {
    for (let i = 0; i < packed.length; i += 3) {
      if (packed.slice(i, i + 3) === inward) {
        const ward = index.wards[Number(wardIndex)];
        const borough = ward ? index.boroughs[ward.borough] : undefined;
        if (!ward || !borough) return null;
        return { postcode, wardCode: ward.code, wardName: ward.name, localAuthorityCode: borough.code, localAuthorityName: borough.name };
      }
    }
  }
  return null;
}

/** The wards the index knows for one local authority, in name order. */
export function wardsOf(index: PostcodeIndex, localAuthorityCode: string): { code: string; name: string }[] {
  const b = index.boroughs.findIndex((x) => x.code === localAuthorityCode);
  if (b < 0) return [];
  return index.wards
    .filter((w) => w.borough === b)
    .map((w) => ({ code: w.code, name: w.name }))
    .sort((a, c) => a.name.localeCompare(c.name, 'en-GB'));
}

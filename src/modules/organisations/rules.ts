/** Pure rules for organisations: the kinds a co-operative council works with, and their registration numbers. */
import { FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { isKeyOf } from '../../lib/keys.ts';

export const ORGANISATION_TYPES = {
  council: 'Council',
  partner_agency: 'Partner agency (NHS trust or ICB, police, Jobcentre Plus, housing association)',
  voluntary_community: 'Voluntary or community body',
  charity: 'Charity',
  social_enterprise: 'Social enterprise',
  cooperative: 'Co-operative',
  public_service_mutual: 'Public service mutual',
  parish_council: 'Parish or town council',
  trading_company: 'Council trading company',
  sme: 'Small or medium-sized business (SME)',
  private_company: 'Private company',
} as const;
export type OrganisationType = keyof typeof ORGANISATION_TYPES;
export const isOrganisationType = (v: string): v is OrganisationType => isKeyOf(ORGANISATION_TYPES, v);

/** The voluntary, community and social enterprise (VCSE) sector, as procurement and grants count it. */
export const VCSE_TYPES: readonly OrganisationType[] = ['voluntary_community', 'charity', 'social_enterprise', 'cooperative', 'public_service_mutual'];

/** The parts of the VCSE sector that diversity-of-supply figures (contracts, spend, grants) report apart. */
export type SectorGroup = 'vcs' | 'social_enterprise' | 'mutual';
const SECTOR_GROUP_OF: Partial<Record<OrganisationType, SectorGroup>> = {
  voluntary_community: 'vcs',
  charity: 'vcs',
  social_enterprise: 'social_enterprise',
  cooperative: 'social_enterprise',
  public_service_mutual: 'mutual',
};
export const SECTOR_GROUP_LABELS: Record<SectorGroup, string> = { vcs: 'Voluntary and community organisations', social_enterprise: 'Social enterprises and co-operatives', mutual: 'Public service mutuals' };
export const sectorGroupOf = (type: string): SectorGroup | null => (isOrganisationType(type) ? (SECTOR_GROUP_OF[type] ?? null) : null);

export const LEGAL_FORMS = {
  unincorporated_association: 'Unincorporated association',
  charitable_trust: 'Charitable trust',
  cio: 'Charitable incorporated organisation (CIO)',
  company_limited_by_guarantee: 'Company limited by guarantee',
  company_limited_by_shares: 'Company limited by shares',
  cic: 'Community interest company (CIC)',
  community_benefit_society: 'Community benefit society',
  cooperative_society: 'Co-operative society',
  llp: 'Limited liability partnership',
  statutory_body: 'Statutory body',
  other: 'Other',
} as const;
export const isLegalForm = (v: string): v is keyof typeof LEGAL_FORMS => isKeyOf(LEGAL_FORMS, v);

/** Charity Commission (England and Wales) numbers are 6 or 7 digits, sometimes with a -N subsidiary suffix; Scotland's are SC + 6 digits. */
export const isCharityNumber = (v: string): boolean => /^(\d{6,7}(-\d{1,2})?|SC\d{6}|NIC\d{6}|\d{3}\d{3}\d?)$/.test(v);
/**
 * Companies House numbers: 8 digits, or 2 letters (SC, NI, OC, RS…) and 6 digits, or — for
 * registered societies (co-ops, community benefit societies) — 2 letters, 5 digits and R (IP00525R).
 */
export const isCompanyNumber = (v: string): boolean => /^([0-9]{8}|[A-Z]{2}[0-9]{6}|[A-Z]{2}[0-9]{5}R)$/.test(v);

export interface OrganisationInput {
  name: string;
  type: OrganisationType;
  charityNumber: string | null;
  companyNumber: string | null;
  legalForm: string | null;
  employeeOwned: boolean;
  website: string | null;
  description: string | null;
}

/** Check what a form or API client sent; every problem is reported against its field. */
export function parseOrganisation(raw: Record<string, unknown>): OrganisationInput {
  const check = new FieldChecker();
  const name = text(raw.name);
  const type = text(raw.type);
  const charityNumber = optionalText(raw.charityNumber)?.toUpperCase().replace(/\s+/g, '') ?? null;
  const companyNumber = optionalText(raw.companyNumber)?.toUpperCase().replace(/\s+/g, '') ?? null;
  const legalForm = optionalText(raw.legalForm);
  const website = optionalText(raw.website);
  check.check(name.length >= 2 && name.length <= 200, 'name', 'Enter the organisation’s name');
  check.check(isOrganisationType(type), 'type', 'Select the type of organisation');
  if (charityNumber) check.check(isCharityNumber(charityNumber), 'charityNumber', 'Enter a charity number like 1234567');
  if (companyNumber) check.check(isCompanyNumber(companyNumber), 'companyNumber', 'Enter a Companies House number like 01234567 or SC123456');
  if (legalForm) check.check(isLegalForm(legalForm), 'legalForm', 'Select a legal form from the list');
  if (website) check.check(/^https?:\/\/[^\s]+\.[^\s]+$/.test(website), 'website', 'Enter a website address starting with https://');
  check.throwIfAny();
  const employeeOwned = raw.employeeOwned === true || raw.employeeOwned === 'yes' || raw.employeeOwned === 'true';
  return { name, type: type as OrganisationType, charityNumber, companyNumber, legalForm, employeeOwned, website, description: optionalText(raw.description) };
}

/**
 * Pure rules for grant programmes: what a programme asks for, who may apply, what a draft
 * still lacks, how a panel's scores add up, and the identifiers 360Giving wants for the
 * organisations involved. No I/O here.
 */
import { FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { isCalendarDate, formatDate, type CalendarDate } from '../../lib/dates.ts';
import { MoneyFormatError, parsePounds, formatPence, type Pence } from '../../lib/money.ts';
import { ORGANISATION_TYPES, isOrganisationType, sectorGroupOf, type OrganisationType, type SectorGroup } from '../organisations/rules.ts';

/** Who a programme is for. An empty list means no restriction on that point. */
export interface Eligibility {
  organisationTypes: OrganisationType[];
  /** Wards the work must benefit (the programme's locality); empty: anywhere in the authority. */
  wardIds: string[];
  /** The income band: the highest annual income an applicant may have, or null for any. */
  maxAnnualIncomePence: Pence | null;
}

/** One thing the panel scores, with its weight in the total. */
export interface Criterion {
  key: string;
  title: string;
  weight: number;
}

export interface ProgrammeInput {
  title: string;
  prospectus: string;
  eligibility: Eligibility;
  minAmountPence: Pence;
  maxAmountPence: Pence;
  deadline: CalendarDate;
  criteria: Criterion[];
  /** Each criterion is scored from 0 to this. */
  scoreMax: number;
}

export const PROGRAMME_STATUSES = { open: 'Open for applications', closed: 'Closed' } as const;
export type ProgrammeStatus = keyof typeof PROGRAMME_STATUSES;

export const APPLICATION_STATUSES = {
  draft: 'Draft',
  submitted: 'Submitted',
  recommended: 'Recommended by the panel',
  not_recommended: 'Not recommended by the panel',
  awarded: 'Awarded',
  declined: 'Declined',
} as const;
export type ApplicationStatus = keyof typeof APPLICATION_STATUSES;

export const RETURN_STATUSES = { due: 'Due', submitted: 'Submitted', accepted: 'Accepted' } as const;

const amountField = (check: FieldChecker, raw: unknown, field: string, label: string): Pence => {
  try {
    const pence = parsePounds(text(raw));
    check.check(pence > 0, field, `Enter ${label} greater than £0`);
    return pence;
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    check.add(field, `Enter ${label} in pounds, like 5,000`);
    return 0;
  }
};

const listOf = (raw: unknown): string[] => (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).map(text).filter(Boolean);

/**
 * Criteria come from a form as one line each, "Title | weight" (weight 1 if left out), so an
 * officer can write them as the prospectus does.
 */
export function parseCriteria(raw: unknown): Criterion[] | null {
  const lines = text(raw).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const criteria: Criterion[] = [];
  for (const [i, line] of lines.entries()) {
    const [title = '', weightText] = line.split('|').map((s) => s.trim());
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (title.length < 2 || !Number.isInteger(weight) || weight < 1 || weight > 10) return null;
    criteria.push({ key: `c${i + 1}`, title, weight });
  }
  return criteria.length > 0 ? criteria : null;
}

/** Check a new programme as an officer set it out; every problem against its field. */
export function parseProgramme(raw: Record<string, unknown>, knownWardIds: readonly string[]): ProgrammeInput {
  const check = new FieldChecker();
  const title = text(raw.title);
  const prospectus = text(raw.prospectus);
  check.check(title.length >= 3 && title.length <= 200, 'title', 'Enter the programme’s name, in 3 to 200 characters');
  check.check(prospectus.length >= 10, 'prospectus', 'Enter the prospectus: what the programme funds and why');
  const minAmountPence = amountField(check, raw.minAmount, 'minAmount', 'the smallest grant');
  const maxAmountPence = amountField(check, raw.maxAmount, 'maxAmount', 'the largest grant');
  if (minAmountPence > 0 && maxAmountPence > 0) check.check(minAmountPence <= maxAmountPence, 'maxAmount', 'The largest grant must be at least the smallest');
  const deadline = text(raw.deadline);
  check.check(isCalendarDate(deadline), 'deadline', 'Enter the closing date as YYYY-MM-DD, like 2027-03-31');
  const organisationTypes = listOf(raw.organisationTypes);
  check.check(organisationTypes.every(isOrganisationType), 'organisationTypes', 'Select organisation types from the list');
  const wardIds = listOf(raw.wardIds);
  check.check(wardIds.every((w) => knownWardIds.includes(w)), 'wardIds', 'Select wards from the list');
  let maxAnnualIncomePence: Pence | null = null;
  if (text(raw.maxAnnualIncome)) maxAnnualIncomePence = amountField(check, raw.maxAnnualIncome, 'maxAnnualIncome', 'the highest annual income');
  const criteria = parseCriteria(raw.criteria);
  check.check(criteria !== null, 'criteria', 'Enter at least one criterion, one a line, like: Need in the area | 2');
  const scoreMax = Number(text(raw.scoreMax) || '5');
  check.check(Number.isInteger(scoreMax) && scoreMax >= 1 && scoreMax <= 10, 'scoreMax', 'Enter the top score as a whole number from 1 to 10');
  check.throwIfAny();
  return {
    title,
    prospectus,
    eligibility: { organisationTypes: organisationTypes as OrganisationType[], wardIds, maxAnnualIncomePence },
    minAmountPence,
    maxAmountPence,
    deadline,
    criteria: criteria!,
    scoreMax,
  };
}

/** The eligibility rules in words, for the prospectus page. */
export function eligibilityInWords(e: Eligibility, wardNames: Map<string, string>): string[] {
  const lines: string[] = [];
  lines.push(e.organisationTypes.length ? `Open to: ${e.organisationTypes.map((t) => ORGANISATION_TYPES[t].toLowerCase()).join(', ')}` : 'Open to any kind of community organisation');
  lines.push(e.wardIds.length ? `The work must benefit ${e.wardIds.map((w) => wardNames.get(w) ?? 'a listed ward').join(', ')}` : 'The work may benefit anywhere in the borough');
  if (e.maxAnnualIncomePence !== null) lines.push(`For organisations with an annual income of ${formatPence(e.maxAnnualIncomePence, { wholePounds: true })} or less`);
  return lines;
}

export interface DraftApplication {
  title: string | null;
  summary: string | null;
  amountRequestedPence: Pence | null;
  wardId: string | null;
  annualIncomePence: Pence | null;
}

export interface ApplicantOrganisation {
  type: string;
}

/**
 * What a draft still lacks or gets wrong before it can be sent, field by field, in the words the
 * applicant will read. An empty result means it may be submitted (if the deadline has not passed).
 */
export function missingFromDraft(p: Pick<ProgrammeInput, 'eligibility' | 'minAmountPence' | 'maxAmountPence'>, draft: DraftApplication, organisation: ApplicantOrganisation): Record<string, string> {
  const check = new FieldChecker();
  const e = p.eligibility;
  if (e.organisationTypes.length && !e.organisationTypes.includes(organisation.type as OrganisationType)) {
    check.add('organisationId', `This programme is not open to a ${(ORGANISATION_TYPES[organisation.type as OrganisationType] ?? organisation.type).toLowerCase()}`);
  }
  check.check(!!draft.title && draft.title.length >= 3, 'title', 'Give the project a name');
  check.check(!!draft.summary && draft.summary.length >= 20, 'summary', 'Say what the grant would pay for and who it would help, in at least 20 characters');
  const amount = draft.amountRequestedPence;
  if (amount === null) check.add('amountRequested', 'Enter how much you are asking for');
  else check.check(amount >= p.minAmountPence && amount <= p.maxAmountPence, 'amountRequested', `Ask for between ${formatPence(p.minAmountPence, { wholePounds: true })} and ${formatPence(p.maxAmountPence, { wholePounds: true })}`);
  if (e.wardIds.length) {
    if (!draft.wardId) check.add('wardId', 'Select the ward the work will benefit');
    else check.check(e.wardIds.includes(draft.wardId), 'wardId', 'This programme funds work in other wards');
  }
  if (e.maxAnnualIncomePence !== null) {
    if (draft.annualIncomePence === null) check.add('annualIncome', 'Enter your organisation’s income in its last financial year');
    else check.check(draft.annualIncomePence <= e.maxAnnualIncomePence, 'annualIncome', `This programme is for organisations with an income of ${formatPence(e.maxAnnualIncomePence, { wholePounds: true })} or less`);
  }
  return check.errors;
}

/** Read what an applicant typed into a draft; only malformed values are refused here, gaps are fine. */
export function parseDraft(raw: Record<string, unknown>): DraftApplication {
  const check = new FieldChecker();
  const optionalAmount = (field: string, label: string): Pence | null => {
    if (!text(raw[field])) return null;
    try {
      return parsePounds(text(raw[field]));
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
      check.add(field, `Enter ${label} in pounds, like 2,500`);
      return null;
    }
  };
  const draft = {
    title: optionalText(raw.title),
    summary: optionalText(raw.summary),
    amountRequestedPence: optionalAmount('amountRequested', 'the amount'),
    wardId: optionalText(raw.wardId),
    annualIncomePence: optionalAmount('annualIncome', 'your income'),
  };
  if (draft.title) check.check(draft.title.length <= 200, 'title', 'Keep the name to 200 characters');
  check.throwIfAny();
  return draft;
}

/**
 * Applications close at the end of the deadline day: a deadline of D accepts an application
 * made on D itself.
 */
export const isLate = (deadline: CalendarDate, today: CalendarDate): boolean => today > deadline;
export const lateMessage = (title: string, deadline: CalendarDate) =>
  `${title} closed for applications at the end of ${formatDate(deadline)}, so this application cannot be sent`;

// ------------------------------------------------------------------ the panel

export interface AssessmentInput {
  conflict: boolean;
  conflictNote: string | null;
  scores: Record<string, number>;
  comment: string | null;
}

/**
 * One assessor's scores. Someone who declares a conflict of interest scores nothing: their
 * declaration is recorded and they stay out of the panel's total.
 */
export function parseAssessment(raw: Record<string, unknown>, criteria: Criterion[], scoreMax: number): AssessmentInput {
  const check = new FieldChecker();
  const conflict = raw.conflict === 'yes' || raw.conflict === true;
  if (conflict) {
    const note = text(raw.conflictNote);
    check.check(note.length >= 5, 'conflictNote', 'Say what the conflict of interest is');
    check.throwIfAny();
    return { conflict, conflictNote: note, scores: {}, comment: null };
  }
  const scores: Record<string, number> = {};
  for (const c of criteria) {
    const value = text(raw[`score-${c.key}`]) || (typeof raw[`score-${c.key}`] === 'number' ? String(raw[`score-${c.key}`]) : '');
    const n = Number(value);
    if (value === '' || !Number.isInteger(n) || n < 0 || n > scoreMax) check.add(`score-${c.key}`, `Score “${c.title}” as a whole number from 0 to ${scoreMax}`);
    else scores[c.key] = n;
  }
  check.throwIfAny();
  return { conflict, conflictNote: null, scores, comment: optionalText(raw.comment) };
}

/** An assessor's weighted total. */
export const weightedTotal = (criteria: Criterion[], scores: Record<string, number>): number => criteria.reduce((sum, c) => sum + c.weight * (scores[c.key] ?? 0), 0);
export const maxTotal = (criteria: Criterion[], scoreMax: number): number => criteria.reduce((sum, c) => sum + c.weight * scoreMax, 0);

export interface PanelSummary {
  scored: number;
  conflicts: number;
  /** The mean weighted total of those who scored, to one decimal place, or null if no one has. */
  meanTotal: number | null;
  /** Mean score per criterion, to one decimal place. */
  meanByCriterion: Record<string, number>;
}

const oneDecimal = (sum: number, n: number) => Math.round((sum * 10) / n) / 10;

export function panelSummary(criteria: Criterion[], assessments: Pick<AssessmentInput, 'conflict' | 'scores'>[]): PanelSummary {
  const scoring = assessments.filter((a) => !a.conflict);
  const n = scoring.length;
  const totals = scoring.map((a) => weightedTotal(criteria, a.scores));
  return {
    scored: n,
    conflicts: assessments.length - n,
    meanTotal: n ? oneDecimal(totals.reduce((s, t) => s + t, 0), n) : null,
    meanByCriterion: Object.fromEntries(criteria.map((c) => [c.key, n ? oneDecimal(scoring.reduce((s, a) => s + (a.scores[c.key] ?? 0), 0), n) : 0])),
  };
}

export const RECOMMENDATIONS = { recommended: 'Recommend a grant', not_recommended: 'Do not recommend' } as const;

// ------------------------------------------------------------------ 360Giving identifiers

/**
 * The org-id (org-id.guide) a 360Giving file uses for an organisation: its charity number under
 * the register that issued it, else its Companies House number, else the publisher's own prefix.
 */
export function organisationIdentifier(org: { charityNumber: string | null; companyNumber: string | null }, fallback: string): string {
  const charity = org.charityNumber?.toUpperCase().replace(/\s+/g, '');
  if (charity) {
    if (/^SC\d{6}$/.test(charity)) return `GB-SC-${charity}`;
    if (/^NIC\d{6}$/.test(charity)) return `GB-NIC-${charity.slice(3)}`;
    return `GB-CHC-${charity}`;
  }
  const company = org.companyNumber?.toUpperCase().replace(/\s+/g, '');
  return company ? `GB-COH-${company}` : fallback;
}

/** 360Giving's own prefix for identifiers a publisher makes up: 360G-<publisher>-… */
export const publisherPrefix = (slug: string) => `360G-coproduce-${slug}`;

// ------------------------------------------------------------------ diversity of grant funding

export type GrantGroup = SectorGroup | 'local';
export const GRANT_GROUPS: readonly GrantGroup[] = ['vcs', 'social_enterprise', 'mutual', 'local'];

/** What is known of a grant's recipient: its type when it applied here, else only what 360Giving carries. */
export interface GrantRecipient {
  /** The platform organisation's type, for a grant made here; null for an imported grant. */
  organisationType: string | null;
  recipientId: string;
  charityNumber: string | null;
  /** The local authority (ONS GSS code) the recipient's postcode lies in, when the postcode is known. */
  postcodeAuthorityCode: string | null;
  /** Beneficiary location codes (authority, ward or smaller areas). */
  locationCodes: string[];
}

/**
 * The groups a grant counts in. A recipient that applied here counts by its organisation's type.
 * An imported one counts as voluntary and community when it has a charity number or a charity
 * register's org-id (GB-CHC, GB-SC, GB-NIC), and as a social enterprise when its org-id is from the
 * Mutuals Public Register (GB-MPR: co-operative and community benefit societies); a company number
 * alone says nothing of purpose, so it counts in no group. A grant is local when the recipient's
 * postcode is in the authority or it benefits the authority or one of its wards.
 */
export function grantGroups(r: GrantRecipient, local: { authorityCode: string | null; wardCodes: ReadonlySet<string> }): GrantGroup[] {
  const groups: GrantGroup[] = [];
  const sector = r.organisationType ? sectorGroupOf(r.organisationType) : importedSectorGroup(r);
  if (sector) groups.push(sector);
  const inArea = (code: string) => code === local.authorityCode || local.wardCodes.has(code);
  if ((r.postcodeAuthorityCode !== null && r.postcodeAuthorityCode === local.authorityCode) || r.locationCodes.some(inArea)) groups.push('local');
  return groups;
}

function importedSectorGroup(r: GrantRecipient): SectorGroup | null {
  const id = r.recipientId.toUpperCase();
  if (r.charityNumber || /^GB-(CHC|SC|NIC)-/.test(id)) return 'vcs';
  if (id.startsWith('GB-MPR-')) return 'social_enterprise';
  return null;
}

export interface GroupTally {
  grants: number;
  amountPence: Pence;
}
export interface DiversityRow extends GroupTally {
  year: string;
  programme: string;
  byGroup: Record<GrantGroup, GroupTally>;
}

const emptyTally = (): Record<GrantGroup, GroupTally> => Object.fromEntries(GRANT_GROUPS.map((g) => [g, { grants: 0, amountPence: 0 }])) as Record<GrantGroup, GroupTally>;

/** Grants and money by award year and programme, and what each group won of them, newest year first. */
export function grantDiversity(grants: { awardDate: CalendarDate; programme: string; amountPence: Pence; groups: readonly GrantGroup[] }[]): { rows: DiversityRow[]; totals: Omit<DiversityRow, 'year' | 'programme'> } {
  const rows = new Map<string, DiversityRow>();
  const totals = { grants: 0, amountPence: 0, byGroup: emptyTally() };
  for (const g of grants) {
    const year = g.awardDate.slice(0, 4);
    const key = `${year}|${g.programme}`;
    const row = rows.get(key) ?? rows.set(key, { year, programme: g.programme, grants: 0, amountPence: 0, byGroup: emptyTally() }).get(key)!;
    for (const tally of [row, totals]) {
      tally.grants += 1;
      tally.amountPence += g.amountPence;
      for (const group of g.groups) {
        tally.byGroup[group].grants += 1;
        tally.byGroup[group].amountPence += g.amountPence;
      }
    }
  }
  return { rows: [...rows.values()].sort((a, b) => b.year.localeCompare(a.year) || a.programme.localeCompare(b.programme)), totals };
}

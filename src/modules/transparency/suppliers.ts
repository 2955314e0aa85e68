/**
 * Who a payment went to. Councils spell one supplier many ways ("ACME LTD",
 * "Acme Limited", "The Acme Ltd ****0268"), so names are normalised before
 * they are compared; registration numbers, when given, outrank names. Names
 * that are merely close are proposed for merging with a reason, for an
 * officer to confirm: a wrong merge would hide a duplicate payment.
 *
 * Individuals stay redacted: a payee the council withheld, or whose name
 * reads as a person's, is shown as "a private individual (name withheld)"
 * everywhere this module produces words, and is never proposed for a merge.
 */
import type { TypedRow } from './read.ts';

export interface Payee {
  name: string | null;
  /** The council withheld the name. */
  redacted: boolean;
  /** A Companies House, charity or society number, as written. */
  registrationNumber?: string | null;
  /** The council's own supplier number, which lets withheld payees be told apart without naming them. */
  supplierId?: string | null;
}

export function payeeOf(row: TypedRow): Payee | null {
  switch (row.dataset) {
    case 'spend-over-500': return { name: row.supplier, redacted: row.redacted, supplierId: row.supplierId };
    case 'procurement-card': return { name: row.merchant, redacted: row.redacted };
    case 'grants-vcse': return { name: row.recipient, redacted: row.redacted, registrationNumber: row.registrationNumber };
    case 'land-assets': return null;
  }
}

// ---------------------------------------------------------------------------
// Names

/** Trailing words that say what legal form a body has, not which body it is; longest first. */
const LEGAL_FORMS = [
  ['community', 'interest', 'company'], ['public', 'limited', 'company'], ['limited', 'liability', 'partnership'],
  ['and', 'company'], ['and', 'co'], ['limited'], ['ltd'], ['plc'], ['llp'], ['cic'], ['cio'],
];

/**
 * A supplier's name reduced to what identifies it: lower case, no accents or
 * punctuation, "&" as "and", no leading "The", no trailing legal form, nothing
 * after "t/a" (the legal name comes first), and none of the junk exports leave:
 * cp1252 read as UTF-8 ("â€™"), "†" for a non-breaking space, masked bank
 * digits ("****0268"). Returns '' when nothing is left.
 */
export function normaliseSupplierName(name: string): string {
  const cleaned = name
    .replace(/â€[™˜]|[’‘'`´]/g, '') // apostrophes join: "Children’s" is "childrens"
    .replace(/â€[“”œ\u009d]|Â|\uFFFD/g, ' ')
    .replace(/[\u2020\u00a0]/g, ' ')
    .replace(/\(?\*{2,}\s*\d*\)?/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[&+]/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  let words = cleaned === '' ? [] : cleaned.split(' ');
  const tradingAs = words.findIndex((w, i) => w === 't' && words[i + 1] === 'a');
  if (tradingAs > 0) words = words.slice(0, tradingAs);
  if (words[0] === 'the' && words.length > 1) words = words.slice(1);
  for (let stripped = true; stripped;) {
    stripped = false;
    for (const form of LEGAL_FORMS) {
      if (words.length > form.length && form.every((w, i) => words[words.length - form.length + i] === w)) {
        words = words.slice(0, -form.length);
        stripped = true;
        break;
      }
    }
  }
  return words.join(' ');
}

// ---------------------------------------------------------------------------
// Registration numbers

export type RegistrationKind = 'company' | 'charity' | 'society' | 'unknown';

export interface Registration {
  kind: RegistrationKind;
  /** Upper case, no spaces, leading zeros kept for companies. */
  number: string;
}

/**
 * Only a number whose form says what it is counts as evidence. A bare six- or
 * seven-digit number could be a charity, a company without its leading zeros,
 * or (as in Warwickshire's grants register) the council's own supplier number.
 */
export function parseRegistrationNumber(raw: string | null | undefined): Registration | null {
  if (!raw) return null;
  const text = raw.toUpperCase().replace(/\s+/g, '');
  let m = /^GB-(CHC|COH|SC|NIC|MPR)-([A-Z0-9]+)$/.exec(text);
  if (m) {
    const kinds: Record<string, RegistrationKind> = { CHC: 'charity', SC: 'charity', NIC: 'charity', COH: 'company', MPR: 'society' };
    return { kind: kinds[m[1]!]!, number: m[1] === 'SC' ? `SC${m[2]}` : m[2]! };
  }
  if (/^(\d{8}|(OC|NI|SO|NC|R0|NF|FC|SE)\d{6})$/.test(text)) return { kind: 'company', number: text };
  // SC and six digits is both a Scottish company and a Scottish charity number.
  if (/^SC\d{6}$/.test(text)) return { kind: 'unknown', number: text };
  if ((m = /^(IP|RS)(\d{3,6})R?$/.exec(text)) || (m = /^()(\d{3,6})R$/.exec(text))) return { kind: 'society', number: `${m[2]}R` };
  if (/^\d{1,7}(-\d{1,2})?$/.test(text)) return { kind: 'unknown', number: text.replace(/^0+(?=\d)/, '') };
  return null;
}

// ---------------------------------------------------------------------------
// Keys

/**
 * The key a payee is matched on: its registration number when it has one,
 * else its normalised name. A withheld payee is matched only on the council's
 * supplier number, and has no key without one: two people whose names the
 * council withheld must not count as one supplier.
 */
export function supplierKey(payee: Payee): string | null {
  if (payee.redacted) return payee.supplierId ? `withheld:${payee.supplierId}` : null;
  const registration = parseRegistrationNumber(payee.registrationNumber);
  if (registration) return `${registration.kind}:${registration.number}`;
  const name = payee.name === null ? '' : normaliseSupplierName(payee.name);
  return name === '' ? null : `name:${name}`;
}

/**
 * A key function that also gives a name the registration number it was seen
 * with elsewhere (a grant with a charity number, a payment without), as long
 * as that name was only ever seen with one number.
 */
export function supplierResolver(payees: Iterable<Payee>): (payee: Payee) => string | null {
  const numberOf = new Map<string, string | null>(); // name key → registration key, null when ambiguous
  for (const payee of payees) {
    if (payee.redacted || !payee.name || !parseRegistrationNumber(payee.registrationNumber)) continue;
    const name = `name:${normaliseSupplierName(payee.name)}`;
    const key = supplierKey(payee)!;
    numberOf.set(name, numberOf.has(name) && numberOf.get(name) !== key ? null : key);
  }
  return (payee) => {
    const key = supplierKey(payee);
    return (key !== null && numberOf.get(key)) || key;
  };
}

// ---------------------------------------------------------------------------
// Who they are

export type SupplierKind = 'vcs' | 'social-enterprise' | 'sme' | 'public-body' | 'individual' | 'unknown';

export interface SupplierClass {
  kind: SupplierKind;
  /** certain: the council or a registration says so; likely: the name says so; possible: the name hints. */
  confidence: 'certain' | 'likely' | 'possible';
  evidence: string;
}

const PERSONAL_TITLE = /^(mr|mrs|ms|miss|mx|dr|rev|revd|prof)\b\.?\s/i;
const ORGANISATION_WORD = /\b(ltd|limited|plc|llp|cic|services?|associates|partnership|group|trust|practice|surgery|clinic|council|school|solicitors|and co)\b|&\s*co\b/i;

/** Is this payee a private person, whose name must never be shown? */
export function isIndividual(payee: Payee): boolean {
  return payee.redacted || (payee.name !== null && PERSONAL_TITLE.test(payee.name) && !ORGANISATION_WORD.test(payee.name));
}

/** What to call a payee in words shown to people. */
export function payeeName(payee: Payee): string {
  if (isIndividual(payee)) return 'a private individual (name withheld)';
  return payee.name ?? 'a payee the file does not name';
}

interface NameRule {
  kind: SupplierKind;
  confidence: SupplierClass['confidence'];
  pattern: RegExp;
  /** Why the match means the kind; "%s" is the words matched. */
  because: string;
}

/**
 * In order: voluntary bodies whose names sound public ("Rural Community
 * Council", "Friends of … School") come before public bodies, and public
 * bodies ("NHS Foundation Trust") before the words charities use.
 */
const NAME_RULES: NameRule[] = [
  { kind: 'vcs', confidence: 'likely', pattern: /\b(council for voluntary service|community council|arts council|youth council|residents'? council|friends of|parent teachers? association|pta)\b/i, because: '“%s” is how voluntary and community groups are named' },
  { kind: 'public-body', confidence: 'likely', pattern: /\b(nhs|clinical commissioning group|integrated care board|health board)\b/i, because: '“%s” is part of the National Health Service' },
  { kind: 'public-body', confidence: 'likely', pattern: /\b((county|borough|district|city|parish|town|metropolitan|unitary) council|borough of|council of the)\b/i, because: '“%s” names a local authority' },
  { kind: 'public-body', confidence: 'likely', pattern: /\b(police|constabulary|fire (and|&) rescue|fire authority)\b/i, because: '“%s” names an emergency service' },
  { kind: 'public-body', confidence: 'likely', pattern: /\b(primary school|secondary school|infant school|junior school|high school|grammar school|special school|school|academy|college|university)\b/i, because: '“%s” names a school, college or university' },
  { kind: 'public-body', confidence: 'likely', pattern: /\b(hm revenue|hmrc|department for|department of|ministry of|environment agency|dvla|home office|cabinet office|hm courts|land registry)\b/i, because: '“%s” names a government body' },
  { kind: 'social-enterprise', confidence: 'likely', pattern: /\b(cic|community interest company)\b/i, because: '“%s”: a community interest company, the legal form for social enterprises' },
  { kind: 'social-enterprise', confidence: 'likely', pattern: /\b(co-?operative|co-?op|community benefit society|mutual)\b/i, because: '“%s”: a co-operative or mutual' },
  { kind: 'vcs', confidence: 'likely', pattern: /\b(cio|charitable incorporated organisation|charity|charitable)\b/i, because: '“%s” is a charity’s name or legal form' },
  { kind: 'vcs', confidence: 'possible', pattern: /\b(trust|foundation|association|society|club|scouts?|guides|church|chapel|mosque|temple|gurdwara|voluntary|volunteers?|citizens advice|hospice|forum|village hall|allotments?|community)\b/i, because: '“%s” is a word voluntary and community organisations use' },
  { kind: 'unknown', confidence: 'possible', pattern: /\b(plc|public limited company)\b/i, because: '“%s”: a public limited company, seldom a small or medium-sized enterprise' },
  { kind: 'sme', confidence: 'possible', pattern: /\b(ltd|limited|llp)\b/i, because: '“%s”: a private company; whether it is small or medium-sized (an SME) needs its size, so an officer confirms' },
];

const REGISTRATION_EVIDENCE: Partial<Record<RegistrationKind, SupplierClass>> = {
  charity: { kind: 'vcs', confidence: 'certain', evidence: 'registered charity %s' },
  society: { kind: 'social-enterprise', confidence: 'certain', evidence: 'registered society %s (a co-operative or community benefit society)' },
};

export function classifySupplier(payee: Payee): SupplierClass {
  if (payee.redacted) return { kind: 'individual', confidence: 'certain', evidence: 'The council withheld the name, as it does for private individuals' };
  if (isIndividual(payee)) return { kind: 'individual', confidence: 'likely', evidence: 'The name starts with a personal title, as a private individual’s does' };
  const registration = parseRegistrationNumber(payee.registrationNumber);
  const byNumber = registration && REGISTRATION_EVIDENCE[registration.kind];
  if (byNumber) return { ...byNumber, evidence: byNumber.evidence.replace('%s', registration.number) };
  const name = payee.name ?? '';
  for (const rule of NAME_RULES) {
    const m = rule.pattern.exec(name);
    if (m) return { kind: rule.kind, confidence: rule.confidence, evidence: rule.because.replace('%s', m[0]) };
  }
  if (registration?.kind === 'company') return { kind: 'sme', confidence: 'possible', evidence: `Companies House number ${registration.number}: a company; whether it is an SME needs its size, so an officer confirms` };
  return { kind: 'unknown', confidence: 'possible', evidence: 'Nothing in the name or numbers says what kind of body it is' };
}

// ---------------------------------------------------------------------------
// Merges to propose

export interface MergeProposal {
  /** The spellings as the files have them. */
  names: string[];
  keys: string[];
  reason: string;
}

/** Names shorter than this differ by one letter too easily ("BT" and "BP"). */
const MIN_LENGTH_FOR_ONE_LETTER = 8;

/**
 * Suppliers whose names are near-identical after normalising: the same
 * letters spaced differently, or one letter added, dropped, changed or two
 * swapped (not a digit: "Unit 1" and "Unit 2" are different). Candidates come
 * from shared one-letter deletions, so the work grows with the number of
 * names, not its square.
 */
export function proposeMerges(payees: Iterable<Payee>): MergeProposal[] {
  const spellings = new Map<string, Set<string>>(); // name key → names as written
  const seen = new Set<string>(); // a million rows name a few thousand suppliers: each spelling is normalised once
  for (const payee of payees) {
    if (!payee.name || payee.redacted || seen.has(payee.name)) continue;
    seen.add(payee.name);
    if (isIndividual(payee)) continue;
    const key = supplierKey({ name: payee.name, redacted: false });
    if (key === null) continue;
    let names = spellings.get(key);
    if (!names) spellings.set(key, (names = new Set()));
    names.add(payee.name);
  }
  const keys = [...spellings.keys()];
  const proposals: MergeProposal[] = [];
  const paired = new Set<string>();
  const propose = (a: string, b: string, reason: string) => {
    const id = a < b ? `${a}\n${b}` : `${b}\n${a}`;
    if (paired.has(id)) return;
    paired.add(id);
    proposals.push({ names: [...spellings.get(a)!, ...spellings.get(b)!], keys: [a, b], reason });
  };
  for (const group of groupBy(keys, (k) => k.replace(/ /g, '')).values()) {
    for (let i = 1; i < group.length; i++) propose(group[0]!, group[i]!, `The same letters spaced differently (“${group[0]!.slice(5)}” and “${group[i]!.slice(5)}”)`);
  }
  const byDeletion = new Map<string, string[]>();
  for (const key of keys) {
    const name = key.slice(5);
    if (name.length < MIN_LENGTH_FOR_ONE_LETTER) continue;
    for (const variant of new Set([name, ...deletions(name)])) {
      const list = byDeletion.get(variant);
      if (list) list.push(key);
      else byDeletion.set(variant, [key]);
    }
  }
  for (const group of byDeletion.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const difference = oneLetterApart(group[i]!.slice(5), group[j]!.slice(5));
        if (difference) propose(group[i]!, group[j]!, `The names differ by one letter (${difference}) once case, punctuation and “Ltd” are set aside`);
      }
    }
  }
  return proposals;
}

function deletions(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < name.length; i++) out.push(name.slice(0, i) + name.slice(i + 1));
  return out;
}

/** How two names differ when it is one letter (added, dropped, changed or two swapped) and not a digit; null otherwise. */
function oneLetterApart(a: string, b: string): string | null {
  if (a === b || a.replace(/ /g, '') === b.replace(/ /g, '')) return null;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const onlyA = a.slice(start, endA);
  const onlyB = b.slice(start, endB);
  if (/\d/.test(onlyA + onlyB) || wordAt(a, start).length < 4) return null; // "BD Care" and "BM Care" are different initials
  if (onlyA.length + onlyB.length === 1) return onlyA ? `“${onlyA}” only in “${a}”` : `“${onlyB}” only in “${b}”`;
  if (onlyA.length === 1 && onlyB.length === 1) return `“${onlyA}” for “${onlyB}”`;
  if (onlyA.length === 2 && onlyB === [...onlyA].reverse().join('')) return `“${onlyA}” swapped`;
  return null;
}

/** The word of `name` that the character at `index` is in. */
function wordAt(name: string, index: number): string {
  const from = name.lastIndexOf(' ', index - 1) + 1;
  const to = name.indexOf(' ', index);
  return name.slice(from, to === -1 ? undefined : to);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  for (const [key, list] of groups) if (list.length < 2) groups.delete(key);
  return groups;
}

import { describe, expect, it } from 'vitest';
import { classifySupplier, isIndividual, normaliseSupplierName, parseRegistrationNumber, payeeName, proposeMerges, supplierKey, supplierResolver, type Payee } from './suppliers.ts';

const named = (name: string, more: Partial<Payee> = {}): Payee => ({ name, redacted: false, ...more });

describe('normaliseSupplierName', () => {
  it.each([
    ['ACME SUPPLIES LTD', 'acme supplies'],
    ['Acme Supplies Limited', 'acme supplies'],
    ['The Acme Supplies Ltd. ', 'acme supplies'],
    ['Smith & Co', 'smith'],
    ['Smith and Company Ltd', 'smith'],
    ['Wates Construction PLC', 'wates construction'],
    ['Anthony Collins Solicitors LLP', 'anthony collins solicitors'],
    ['Bulkington Community Library CIC', 'bulkington community library'],
    ['Casa Care Ltd t/a Carewatch (South Warwickshire)', 'casa care'],
    ['Fine Futures Ltd ****0268', 'fine futures'],
    ['Tamworth/Atherstone Taxis (****6685)', 'tamworth atherstone taxis'],
    ['Childrenâ€™s Society', 'childrens society'], // cp1252 read as UTF-8
    ['Children’s Society', 'childrens society'],
    ['Lambeth†Housing', 'lambeth housing'], // a non-breaking space read as Mac Roman
    ['Café Rouge', 'cafe rouge'],
    ['THE', 'the'], // never normalised away to nothing
  ])('%j → %j', (raw, expected) => {
    expect(normaliseSupplierName(raw)).toBe(expected);
  });

  it('keeps apart names that differ in what identifies them', () => {
    expect(normaliseSupplierName('Acme Supplies (UK) Ltd')).not.toBe(normaliseSupplierName('Acme Supplies Ltd'));
    expect(normaliseSupplierName('Co-op Funeralcare')).toBe('co op funeralcare'); // "co" only goes when it ends the name
  });
});

describe('registration numbers and keys', () => {
  it.each([
    ['01234567', { kind: 'company', number: '01234567' }],
    ['OC301234', { kind: 'company', number: 'OC301234' }],
    ['GB-COH-01234567', { kind: 'company', number: '01234567' }],
    ['GB-CHC-1110522', { kind: 'charity', number: '1110522' }],
    ['GB-SC-012345', { kind: 'charity', number: 'SC012345' }],
    ['IP30009R', { kind: 'society', number: '30009R' }],
    ['30009R', { kind: 'society', number: '30009R' }],
    ['SC012345', { kind: 'unknown', number: 'SC012345' }], // a Scottish company or a Scottish charity
    ['200613', { kind: 'unknown', number: '200613' }], // Warwickshire's grants: the council's own supplier number
    ['n/a words', null],
  ])('%j', (raw, expected) => {
    expect(parseRegistrationNumber(raw)).toEqual(expected);
  });

  it('matches on the registration number before the name, and never keys a withheld payee without a supplier number', () => {
    expect(supplierKey(named('Acme Ltd', { registrationNumber: '01234567' }))).toBe('company:01234567');
    expect(supplierKey(named('ACME LIMITED'))).toBe('name:acme');
    expect(supplierKey({ name: null, redacted: true })).toBeNull();
    expect(supplierKey({ name: null, redacted: true, supplierId: '4471' })).toBe('withheld:4471');
    expect(supplierKey(named('  '))).toBeNull();
  });

  it('resolves a name to the number it was seen with elsewhere, unless it was seen with two', () => {
    const keyOf = supplierResolver([named('Age UK Warwickshire', { registrationNumber: 'GB-CHC-1110522' }), named('Twin Name Ltd', { registrationNumber: '01111111' }), named('Twin Name Ltd', { registrationNumber: '02222222' })]);
    expect(keyOf(named('AGE UK WARWICKSHIRE'))).toBe('charity:1110522');
    expect(keyOf(named('Twin Name Ltd'))).toBe('name:twin name');
    expect(keyOf(named('Someone Else Ltd'))).toBe('name:someone else');
  });
});

describe('classifySupplier', () => {
  it.each([
    [named('Warwickshire Rural Community Council'), 'vcs'],
    [named('Friends of Middlemarch School'), 'vcs'],
    [named('Age UK', { registrationNumber: 'GB-CHC-1128267' }), 'vcs'],
    [named('Grove Farm Community Association'), 'vcs'],
    [named('Bulkington Community Library CIC'), 'social-enterprise'],
    [named('Midcounties Co-operative'), 'social-enterprise'],
    [named('Anything', { registrationNumber: 'IP30009R' }), 'social-enterprise'],
    [named('Nuneaton & Bedworth Borough Council'), 'public-body'],
    [named('South Warwickshire NHS Foundation Trust'), 'public-body'],
    [named('Warwickshire Police'), 'public-body'],
    [named('Stockingford Primary School'), 'public-body'],
    [named('HM Revenue & Customs'), 'public-body'],
    [named('DATASHARP UK LTD'), 'sme'],
    [named('Wates Construction PLC'), 'unknown'],
    [named('Anything', { registrationNumber: '01234567' }), 'sme'],
    [{ name: null, redacted: true }, 'individual'],
    [named('Mrs J Smith'), 'individual'],
    [named('Zebedee'), 'unknown'],
  ])('%j is %s', (payee, kind) => {
    const result = classifySupplier(payee);
    expect(result.kind).toBe(kind);
    expect(result.evidence.length).toBeGreaterThan(10);
  });

  it('says how sure it is: certain from the council or a register, only possible from a hint', () => {
    expect(classifySupplier({ name: null, redacted: true }).confidence).toBe('certain');
    expect(classifySupplier(named('X', { registrationNumber: 'GB-CHC-1110522' }))).toEqual({ kind: 'vcs', confidence: 'certain', evidence: 'registered charity 1110522' });
    expect(classifySupplier(named('DATASHARP UK LTD'))).toMatchObject({ confidence: 'possible', evidence: expect.stringMatching(/“LTD”.*an officer confirms/) });
  });
});

describe('individuals stay redacted', () => {
  it('never shows a withheld or personal name', () => {
    expect(payeeName({ name: null, redacted: true })).toBe('a private individual (name withheld)');
    expect(payeeName(named('Mr A Jones'))).toBe('a private individual (name withheld)');
    expect(payeeName(named('Dr Foster Associates Ltd'))).toBe('Dr Foster Associates Ltd');
    expect(isIndividual(named('Mrs Smith & Co'))).toBe(false);
  });

  it('never proposes merging individuals, whose names would be shown', () => {
    expect(proposeMerges([named('Mrs Jane Smith'), named('Mrs Jane Smyth'), { name: null, redacted: true }])).toEqual([]);
  });
});

describe('proposeMerges', () => {
  it('proposes near-identical names with the reason, spelt as the files have them', () => {
    const proposals = proposeMerges([named('HOLLY BERRIES NURSERY'), named('Hollyberries Nursery'), named('The Woodlands Day Nursery'), named('WOODLAND DAY NURSERY'), named('Accomplish Group Ltd'), named('Acomplish Group Limited')]);
    expect(proposals).toEqual([
      { names: ['HOLLY BERRIES NURSERY', 'Hollyberries Nursery'], keys: ['name:holly berries nursery', 'name:hollyberries nursery'], reason: 'The same letters spaced differently (“holly berries nursery” and “hollyberries nursery”)' },
      expect.objectContaining({ names: ['The Woodlands Day Nursery', 'WOODLAND DAY NURSERY'], reason: expect.stringMatching(/one letter \(“s” only in “woodlands day nursery”\)/) }),
      expect.objectContaining({ names: ['Accomplish Group Ltd', 'Acomplish Group Limited'] }),
    ]);
  });

  it('does not propose look-alikes that are different bodies', () => {
    expect(proposeMerges([named('Unit 1 Services Ltd'), named('Unit 2 Services Ltd')])).toEqual([]); // a digit
    expect(proposeMerges([named('BD Care Warwick Ltd'), named('BM Care Warwick Ltd')])).toEqual([]); // initials
    expect(proposeMerges([named('Acme Ltd'), named('ACME LIMITED')])).toEqual([]); // already the same supplier
    expect(proposeMerges([named('Bright Futures Care'), named('Bright Futures Cars')]).length).toBe(1); // but one letter in a word is proposed: an officer decides
  });
});

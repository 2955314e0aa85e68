import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import {
  LEGAL_FORMS,
  ORGANISATION_TYPES,
  VCSE_TYPES,
  isCharityNumber,
  isCompanyNumber,
  isLegalForm,
  isOrganisationType,
  parseOrganisation,
} from './rules.ts';

const INHERITED = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'];

describe('organisation types', () => {
  it.each(Object.keys(ORGANISATION_TYPES))('%s is a type', (type) => {
    expect(isOrganisationType(type)).toBe(true);
  });

  it.each(['', 'Charity', 'company', 'voluntary-community', ...INHERITED])('%j is not', (type) => {
    expect(isOrganisationType(type)).toBe(false);
  });

  it('counts the VCSE sector from the known types, without councils, partners or private companies', () => {
    for (const type of VCSE_TYPES) expect(isOrganisationType(type)).toBe(true);
    expect([...VCSE_TYPES].sort()).toEqual(['charity', 'cooperative', 'public_service_mutual', 'social_enterprise', 'voluntary_community']);
  });
});

describe('legal forms', () => {
  it.each(Object.keys(LEGAL_FORMS))('%s is a legal form', (form) => {
    expect(isLegalForm(form)).toBe(true);
  });

  it.each(['', 'CIC', 'limited company', ...INHERITED])('%j is not', (form) => {
    expect(isLegalForm(form)).toBe(false);
  });
});

describe('isCharityNumber', () => {
  it.each([
    ['202918', 'England and Wales, 6 digits (Oxfam)'],
    ['1089464', 'England and Wales, 7 digits'],
    ['1089464-1', 'a subsidiary (linked) charity'],
    ['1089464-12', 'a subsidiary with a two-digit suffix'],
    ['SC012345', 'Scotland (OSCR)'],
    ['NIC100002', 'Northern Ireland'],
  ])('accepts %s (%s)', (number) => {
    expect(isCharityNumber(number)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['12345', 'too short'],
    ['12345678', 'too long'],
    ['1089464-', 'an empty suffix'],
    ['1089464-123', 'a three-digit suffix'],
    ['sc012345', 'lower case (the parser upper-cases first)'],
    ['SC12345', 'SC and 5 digits'],
    ['SC0123456', 'SC and 7 digits'],
    ['NI100002', 'NI rather than NIC'],
    ['NIC10000', 'NIC and 5 digits'],
    ['1089 464', 'a space (the parser removes spaces first)'],
    ['GB-CHC-1089464', 'an org-id'],
    ['01234567', 'a company number'],
  ])('rejects %j (%s)', (number) => {
    expect(isCharityNumber(number)).toBe(false);
  });
});

describe('isCompanyNumber', () => {
  it.each([
    ['01234567', 'England and Wales'],
    ['00445790', 'England and Wales, leading zeros'],
    ['SC123456', 'Scotland'],
    ['NI123456', 'Northern Ireland'],
    ['OC123456', 'limited liability partnership'],
    ['LP012345', 'limited partnership'],
    ['RS007018', 'registered society (since 2014)'],
    ['IP00525R', 'registered society, industrial and provident numbering (Co-operative Group)'],
    ['IP28410R', 'registered society, industrial and provident numbering'],
  ])('accepts %s (%s)', (number) => {
    expect(isCompanyNumber(number)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['1234567', '7 digits: the leading zero is part of the number'],
    ['123456789', '9 digits'],
    ['sc123456', 'lower case (the parser upper-cases first)'],
    ['SC12345', 'prefix and 5 digits'],
    ['SC1234567', 'prefix and 7 digits'],
    ['S1234567', 'a one-letter prefix'],
    ['SCO12345', 'a letter O for a zero'],
    ['IP00525', 'a registered society without its R'],
    ['IP0525R', 'a registered society with 4 digits'],
    ['IP00525X', 'a registered society ending in another letter'],
    ['0123 4567', 'a space (the parser removes spaces first)'],
    ['GB-COH-01234567', 'an org-id'],
  ])('rejects %j (%s)', (number) => {
    expect(isCompanyNumber(number)).toBe(false);
  });
});

describe('parseOrganisation', () => {
  const valid = { name: 'Brixton Community Kitchen', type: 'cooperative' };

  /** The field errors parseOrganisation throws for this input. */
  function fieldsFor(raw: Record<string, unknown>): Record<string, string> {
    try {
      parseOrganisation(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).fields;
    }
    throw new Error('parseOrganisation accepted the input');
  }

  it('reads a minimal organisation, with everything optional empty', () => {
    expect(parseOrganisation(valid)).toEqual({
      name: 'Brixton Community Kitchen',
      type: 'cooperative',
      charityNumber: null,
      companyNumber: null,
      legalForm: null,
      employeeOwned: false,
      website: null,
      description: null,
    });
  });

  it('reads and tidies every field', () => {
    expect(
      parseOrganisation({
        name: '  Walworth Community Energy ',
        type: 'cooperative',
        charityNumber: ' 1089464 ',
        companyNumber: ' ip 00525r ',
        legalForm: 'community_benefit_society',
        employeeOwned: 'yes',
        website: 'https://walworth.energy.example',
        description: '  Solar panels on estate roofs. ',
      }),
    ).toEqual({
      name: 'Walworth Community Energy',
      type: 'cooperative',
      charityNumber: '1089464',
      companyNumber: 'IP00525R',
      legalForm: 'community_benefit_society',
      employeeOwned: true,
      website: 'https://walworth.energy.example',
      description: 'Solar panels on estate roofs.',
    });
  });

  it('upper-cases and removes spaces from registration numbers', () => {
    const org = parseOrganisation({ ...valid, charityNumber: 'sc 012 345', companyNumber: 'sc12 3456' });
    expect(org.charityNumber).toBe('SC012345');
    expect(org.companyNumber).toBe('SC123456');
  });

  it.each([
    [true, true],
    ['yes', true],
    ['true', true],
    [false, false],
    ['no', false],
    ['false', false],
    [undefined, false],
    ['', false],
    ['YES', false],
    [1, false],
  ])('reads employeeOwned %j as %s', (value, expected) => {
    expect(parseOrganisation({ ...valid, employeeOwned: value }).employeeOwned).toBe(expected);
  });

  it('reports every problem at once, against its field', () => {
    expect(
      fieldsFor({ name: 'X', type: 'club', charityNumber: '12', companyNumber: '123', legalForm: 'partnership', website: 'walworth.example' }),
    ).toEqual({
      name: 'Enter the organisation’s name',
      type: 'Select the type of organisation',
      charityNumber: 'Enter a charity number like 1234567',
      companyNumber: 'Enter a Companies House number like 01234567 or SC123456',
      legalForm: 'Select a legal form from the list',
      website: 'Enter a website address starting with https://',
    });
  });

  it('requires a name of 2 to 200 characters', () => {
    expect(fieldsFor({ ...valid, name: '' })).toHaveProperty('name');
    expect(fieldsFor({ ...valid, name: '   ' })).toHaveProperty('name');
    expect(fieldsFor({ ...valid, name: 'x'.repeat(201) })).toHaveProperty('name');
    expect(fieldsFor({ ...valid, name: 42 })).toHaveProperty('name');
    expect(parseOrganisation({ ...valid, name: 'OK' }).name).toBe('OK');
    expect(parseOrganisation({ ...valid, name: 'x'.repeat(200) }).name).toHaveLength(200);
  });

  it('requires a known type', () => {
    expect(fieldsFor({ name: 'Brixton Community Kitchen' })).toEqual({ type: 'Select the type of organisation' });
    expect(fieldsFor({ ...valid, type: 'toString' })).toEqual({ type: 'Select the type of organisation' });
    expect(fieldsFor({ ...valid, legalForm: 'constructor' })).toEqual({ legalForm: 'Select a legal form from the list' });
  });

  it.each(['http://example.org', 'https://www.lambeth.gov.uk/council', 'https://a.b'])('accepts the website %s', (website) => {
    expect(parseOrganisation({ ...valid, website }).website).toBe(website);
  });

  it.each(['example.org', 'ftp://example.org', 'https://localhost', 'https://exa mple.org', 'javascript:alert(1)//x.y'])('rejects the website %j', (website) => {
    expect(fieldsFor({ ...valid, website })).toEqual({ website: 'Enter a website address starting with https://' });
  });

  it('treats blank optional fields as not given', () => {
    const org = parseOrganisation({ ...valid, charityNumber: '  ', companyNumber: '', legalForm: '', website: ' ', description: '' });
    expect(org).toMatchObject({ charityNumber: null, companyNumber: null, legalForm: null, website: null, description: null });
  });
});

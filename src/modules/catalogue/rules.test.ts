import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { DELIVERY_MODELS, SERVICE_STATUSES, isDeliveryModel, isServiceStatus, parseService } from './rules.ts';

const INHERITED = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'];
const PROVIDER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WARD_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const WARD_B = '3f333df6-90a4-4fda-8dd3-9485d27cee36';
const OUTCOME = '16fd2706-8baf-433b-82eb-8c7fada847da';

const valid = { name: 'Meals on wheels', category: 'Adult social care', deliveryModel: 'cooperative' };

/** The field errors parseService throws for this input. */
function fieldsFor(raw: Record<string, unknown>): Record<string, string> {
  try {
    parseService(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fields;
  }
  throw new Error('parseService accepted the input');
}

describe('delivery models and statuses', () => {
  it.each(Object.keys(DELIVERY_MODELS))('%s is a delivery model', (model) => {
    expect(isDeliveryModel(model)).toBe(true);
  });

  it.each(['', 'outsourced', 'In-house', 'in-house', ...INHERITED])('%j is not a delivery model', (model) => {
    expect(isDeliveryModel(model)).toBe(false);
  });

  it('has the four Open Referral statuses', () => {
    expect(Object.keys(SERVICE_STATUSES).sort()).toEqual(['active', 'defunct', 'inactive', 'temporarily closed']);
    for (const status of Object.keys(SERVICE_STATUSES)) expect(isServiceStatus(status)).toBe(true);
  });

  it.each(['', 'Active', 'closed', 'temporarily_closed', ...INHERITED])('%j is not a status', (status) => {
    expect(isServiceStatus(status)).toBe(false);
  });
});

describe('parseService', () => {
  it('reads a minimal service, defaulting the status to active', () => {
    expect(parseService(valid)).toEqual({
      name: 'Meals on wheels',
      description: '',
      category: 'Adult social care',
      directorate: null,
      providerOrganisationId: null,
      deliveryModel: 'cooperative',
      annualBudgetPence: null,
      status: 'active',
      url: null,
      email: null,
      wardIds: [],
      outcomeIds: [],
    });
  });

  it('reads and trims every field', () => {
    expect(
      parseService({
        name: ' Meals on wheels ',
        description: ' Hot lunches delivered. ',
        category: ' Adult social care ',
        directorate: ' Adults and health ',
        providerOrganisationId: PROVIDER,
        deliveryModel: 'community_run',
        annualBudget: '£250,000',
        status: 'temporarily closed',
        url: 'https://meals.example.org/lambeth',
        email: 'meals@example.org',
        wardIds: [WARD_A, WARD_B],
        outcomeIds: OUTCOME,
      }),
    ).toEqual({
      name: 'Meals on wheels',
      description: 'Hot lunches delivered.',
      category: 'Adult social care',
      directorate: 'Adults and health',
      providerOrganisationId: PROVIDER,
      deliveryModel: 'community_run',
      annualBudgetPence: 25_000_000,
      status: 'temporarily closed',
      url: 'https://meals.example.org/lambeth',
      email: 'meals@example.org',
      wardIds: [WARD_A, WARD_B],
      outcomeIds: [OUTCOME],
    });
  });

  it('reports every problem at once, against its field', () => {
    expect(
      fieldsFor({
        name: 'M',
        category: '',
        deliveryModel: 'outsourced',
        status: 'closed',
        providerOrganisationId: 'Age UK',
        url: 'meals.example.org',
        email: 'meals at example.org',
        annualBudget: '12.345',
        wardIds: ['Brixton'],
        outcomeIds: ['1'],
      }),
    ).toEqual({
      name: 'Enter the name of the service',
      category: 'Enter a category, like Adult social care',
      deliveryModel: 'Select how the service is delivered',
      status: 'Select the service’s status',
      providerOrganisationId: 'Select a provider from the list',
      url: 'Enter a web address starting with https://',
      email: 'Enter an email address like name@example.com',
      annualBudget: 'Enter the annual budget in pounds, like 250,000',
      wardIds: 'Select wards from the list',
      outcomeIds: 'Select outcomes from the list',
    });
  });

  it('limits the name to 2–200 characters and the category to 2–100', () => {
    expect(parseService({ ...valid, name: 'AB', category: 'CD' })).toMatchObject({ name: 'AB', category: 'CD' });
    expect(parseService({ ...valid, name: 'n'.repeat(200), category: 'c'.repeat(100) }).name).toHaveLength(200);
    expect(fieldsFor({ ...valid, name: 'n'.repeat(201) })).toEqual({ name: 'Enter the name of the service' });
    expect(fieldsFor({ ...valid, category: 'c'.repeat(101) })).toEqual({ category: 'Enter a category, like Adult social care' });
  });

  it('refuses inherited property names as a delivery model or status', () => {
    expect(fieldsFor({ ...valid, deliveryModel: 'toString' })).toEqual({ deliveryModel: 'Select how the service is delivered' });
    expect(fieldsFor({ ...valid, status: 'constructor' })).toEqual({ status: 'Select the service’s status' });
  });

  describe('the annual budget', () => {
    it.each([
      ['250,000', 25_000_000],
      ['£1,200.50', 120_050],
      ['0', 0],
      [' 99.99 ', 9_999],
    ])('reads %j pounds from a form as %i pence', (annualBudget, pence) => {
      expect(parseService({ ...valid, annualBudget }).annualBudgetPence).toBe(pence);
    });

    it('is not given when the form field is blank', () => {
      expect(parseService({ ...valid, annualBudget: '' }).annualBudgetPence).toBeNull();
      expect(parseService({ ...valid, annualBudget: '   ' }).annualBudgetPence).toBeNull();
    });

    it('cannot be negative', () => {
      expect(fieldsFor({ ...valid, annualBudget: '-5' })).toEqual({ annualBudget: 'The annual budget cannot be negative' });
      expect(fieldsFor({ ...valid, annualBudget: '-£1,000' })).toEqual({ annualBudget: 'The annual budget cannot be negative' });
    });

    it.each(['lots', '1.234', '£', '1e6', '90071992547409.92'])('refuses %j', (annualBudget) => {
      expect(fieldsFor({ ...valid, annualBudget })).toEqual({ annualBudget: 'Enter the annual budget in pounds, like 250,000' });
    });

    it('takes whole pence from the API, in preference to pounds', () => {
      expect(parseService({ ...valid, annualBudgetPence: 120_050 }).annualBudgetPence).toBe(120_050);
      expect(parseService({ ...valid, annualBudgetPence: 0 }).annualBudgetPence).toBe(0);
      expect(parseService({ ...valid, annualBudgetPence: 500, annualBudget: '1,000' }).annualBudgetPence).toBe(500);
      expect(parseService({ ...valid, annualBudgetPence: Number.MAX_SAFE_INTEGER }).annualBudgetPence).toBe(Number.MAX_SAFE_INTEGER);
    });

    it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.MAX_SAFE_INTEGER + 1]])('refuses %d pence', (annualBudgetPence) => {
      expect(fieldsFor({ ...valid, annualBudgetPence })).toEqual({
        annualBudgetPence: 'Enter the annual budget as a whole number of pence, 0 or more',
      });
    });
  });

  describe('wards and outcomes', () => {
    it('takes one id or many, drops blanks and duplicates, and keeps the order', () => {
      expect(parseService({ ...valid, wardIds: WARD_A }).wardIds).toEqual([WARD_A]);
      expect(parseService({ ...valid, wardIds: [WARD_B, '', WARD_A, WARD_B] }).wardIds).toEqual([WARD_B, WARD_A]);
      expect(parseService({ ...valid, wardIds: '' }).wardIds).toEqual([]);
      expect(parseService({ ...valid, outcomeIds: [OUTCOME, OUTCOME] }).outcomeIds).toEqual([OUTCOME]);
    });

    it('refuses the lot if any id is not a UUID', () => {
      expect(fieldsFor({ ...valid, wardIds: [WARD_A, 'Brixton North'] })).toEqual({ wardIds: 'Select wards from the list' });
      expect(fieldsFor({ ...valid, outcomeIds: [42] })).toEqual({ outcomeIds: 'Select outcomes from the list' });
      expect(fieldsFor({ ...valid, wardIds: { id: WARD_A } })).toEqual({ wardIds: 'Select wards from the list' });
    });
  });

  it.each(['http://meals.example.org', 'https://www.lambeth.gov.uk/meals?area=brixton'])('accepts the web address %s', (url) => {
    expect(parseService({ ...valid, url }).url).toBe(url);
  });

  it.each(['meals.example.org', 'ftp://meals.example.org', 'https://localhost', 'https://meals example.org'])('refuses the web address %j', (url) => {
    expect(fieldsFor({ ...valid, url })).toEqual({ url: 'Enter a web address starting with https://' });
  });

  it.each(['meals', 'meals@', '@example.org', 'meals@example', 'me als@example.org'])('refuses the email %j', (email) => {
    expect(fieldsFor({ ...valid, email })).toEqual({ email: 'Enter an email address like name@example.com' });
  });

  it('treats blank optional fields as not given', () => {
    expect(parseService({ ...valid, directorate: ' ', providerOrganisationId: '', url: '', email: '  ', status: '' })).toMatchObject({
      directorate: null,
      providerOrganisationId: null,
      url: null,
      email: null,
      status: 'active',
    });
  });
});

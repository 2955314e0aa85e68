/** Pure rules for the service catalogue. */
import { FieldChecker, optionalText, text } from '../../lib/errors.ts';
import { MoneyFormatError, parsePounds } from '../../lib/money.ts';
import { isUuid } from '../../lib/ids.ts';
import { isKeyOf } from '../../lib/keys.ts';

/** How a service is delivered: the options a co-operative council weighs when it commissions. */
export const DELIVERY_MODELS = {
  in_house: 'In-house',
  contracted: 'Contracted out',
  grant_funded: 'Grant-funded',
  shared_service: 'Shared service with another council',
  trading_company: 'Council trading company',
  mutual: 'Public service mutual',
  cooperative: 'Co-operative',
  community_run: 'Community-run',
} as const;
export type DeliveryModel = keyof typeof DELIVERY_MODELS;
export const isDeliveryModel = (v: string): v is DeliveryModel => isKeyOf(DELIVERY_MODELS, v);

/** The Open Referral service statuses. */
export const SERVICE_STATUSES = { active: 'Active', inactive: 'Inactive', defunct: 'Defunct', 'temporarily closed': 'Temporarily closed' } as const;
export const isServiceStatus = (v: string): v is keyof typeof SERVICE_STATUSES => isKeyOf(SERVICE_STATUSES, v);

export interface ServiceInput {
  name: string;
  description: string;
  category: string;
  directorate: string | null;
  providerOrganisationId: string | null;
  deliveryModel: DeliveryModel;
  annualBudgetPence: number | null;
  status: string;
  url: string | null;
  email: string | null;
  wardIds: string[];
  outcomeIds: string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String).filter(Boolean);

/**
 * Check a service as a form or API client sent it. The budget arrives in pounds
 * from forms (`annualBudget`) or in pence from the API (`annualBudgetPence`).
 */
export function parseService(raw: Record<string, unknown>): ServiceInput {
  const check = new FieldChecker();
  const name = text(raw.name);
  const category = text(raw.category);
  const deliveryModel = text(raw.deliveryModel);
  const status = text(raw.status) || 'active';
  const provider = optionalText(raw.providerOrganisationId);
  const url = optionalText(raw.url);
  const email = optionalText(raw.email);
  check.check(name.length >= 2 && name.length <= 200, 'name', 'Enter the name of the service');
  check.check(category.length >= 2 && category.length <= 100, 'category', 'Enter a category, like Adult social care');
  check.check(isDeliveryModel(deliveryModel), 'deliveryModel', 'Select how the service is delivered');
  check.check(isServiceStatus(status), 'status', 'Select the service’s status');
  if (provider) check.check(isUuid(provider), 'providerOrganisationId', 'Select a provider from the list');
  if (url) check.check(/^https?:\/\/\S+\.\S+$/.test(url), 'url', 'Enter a web address starting with https://');
  if (email) check.check(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email), 'email', 'Enter an email address like name@example.com');

  let annualBudgetPence: number | null = null;
  if (typeof raw.annualBudgetPence === 'number') {
    annualBudgetPence = raw.annualBudgetPence;
    check.check(Number.isSafeInteger(annualBudgetPence) && annualBudgetPence >= 0, 'annualBudgetPence', 'Enter the annual budget as a whole number of pence, 0 or more');
  } else if (text(raw.annualBudget)) {
    try {
      annualBudgetPence = parsePounds(text(raw.annualBudget));
      check.check(annualBudgetPence >= 0, 'annualBudget', 'The annual budget cannot be negative');
    } catch (err) {
      if (!(err instanceof MoneyFormatError)) throw err;
      check.add('annualBudget', 'Enter the annual budget in pounds, like 250,000');
    }
  }
  const wardIds = list(raw.wardIds);
  const outcomeIds = list(raw.outcomeIds);
  check.check(wardIds.every(isUuid), 'wardIds', 'Select wards from the list');
  check.check(outcomeIds.every(isUuid), 'outcomeIds', 'Select outcomes from the list');
  check.throwIfAny();
  return {
    name,
    description: text(raw.description),
    category,
    directorate: optionalText(raw.directorate),
    providerOrganisationId: provider,
    deliveryModel: deliveryModel as DeliveryModel,
    annualBudgetPence,
    status,
    url,
    email,
    wardIds: [...new Set(wardIds)],
    outcomeIds: [...new Set(outcomeIds)],
  };
}

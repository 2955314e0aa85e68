/**
 * The four Transparency Code 2015 datasets this reader knows, and their fields.
 *
 * Mandatory fields and labels are the Code's "must be published" lists; the
 * aliases are the column headings councils actually use, taken from
 * shared/data/standards/transparency-code-2015/fields.json (its
 * observed_header_aliases) and from the sample files it describes. Aliases are
 * in order of preference: when two columns could be a field (Hyndburn has both
 * "Department Area" and "Service Area"), the earlier alias wins.
 */

export type Dataset = 'spend-over-500' | 'procurement-card' | 'grants-vcse' | 'land-assets';
export const DATASETS: readonly Dataset[] = ['spend-over-500', 'procurement-card', 'grants-vcse', 'land-assets'];

export const DATASET_NAMES: Record<Dataset, string> = {
  'spend-over-500': 'expenditure over £500',
  'procurement-card': 'procurement card transactions',
  'grants-vcse': 'grants to voluntary, community and social enterprise organisations',
  'land-assets': 'land and building assets',
};

/** What a column holds, which decides how its values are checked. */
export type FieldKind = 'date' | 'amount' | 'text' | 'reference' | 'number';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** The Code says it must be published. */
  mandatory: boolean;
  /** Whole headings, compared after normalising (see normaliseHeading). */
  aliases: string[];
  /** Words that make a heading probably this field, when no alias matches. */
  words?: RegExp;
}

const f = (name: string, label: string, kind: FieldKind, mandatory: boolean, aliases: string[], words?: RegExp): FieldSpec =>
  words ? { name, label, kind, mandatory, aliases, words } : { name, label, kind, mandatory, aliases };

const PAYMENT_DATE = ['Date', 'Payment Date', 'Paid Date', 'Pay Date', 'Invoice Creation Date', 'Transaction Date', 'Posting Date', 'Invoice Date'];
const AMOUNT = ['Amount', 'Net Amount', 'Amount Paid', 'Invoice Nett Amount', 'Nett Amount', 'Transaction Amount', 'Amount (excluding VAT)', 'Value'];
const SERVICE_AREA = ['Service Area', 'Expense Area', 'Organisational Unit', 'Department', 'Directorate', 'Department Area', 'Service Cost Centre', 'Spend Area', 'Service', 'Group', 'Client'];
const REFERENCE = ['Transaction Number', 'Transaction ID', 'Trans No', 'Transno', 'HBC Ref No', 'Internal Reference Number', 'Reference', 'Payment Reference'];
const VAT = f('irrecoverableVat', 'Value Added Tax that cannot be recovered', 'amount', true, ['Irrecoverable VAT', 'Non Recoverable VAT', 'VAT Irrecoverable'], /irrecoverable|non.?recoverable/);
const MERCHANT_CATEGORY = f('merchantCategory', 'merchant category (eg. computers, software etc)', 'text', true, ['Merchant Category', 'Merchant Category Code', 'MCC', 'Merchant Category Description'], /merchant cat|\bmcc\b/);

export const FIELDS: Record<Dataset, FieldSpec[]> = {
  'spend-over-500': [
    f('date', 'date the expenditure was incurred', 'date', true, PAYMENT_DATE, /\bdate\b/),
    f('amount', 'amount', 'amount', true, AMOUNT, /amount|\bnett?\b|\bpaid\b|£/),
    f('supplier', 'beneficiary (supplier)', 'text', true, ['Supplier Name', 'Supplier', 'Name', 'Payee', 'Beneficiary', 'Vendor Name', 'Creditor Name'], /supplier|payee|beneficiary|vendor|creditor name/),
    f('expenseType', 'summary of the purpose of the expenditure (expense type)', 'text', true,
      ['Expense Type', 'Expenditure Category', 'Expenditure Catergory', 'Account Description', 'Account Detail', 'Subj Description', 'Subjective Description', 'Purpose', 'Description'],
      /expense type|expenditure (type|cat)|purpose|subjective/),
    f('serviceArea', 'local authority department which incurred the expenditure (service area)', 'text', true, SERVICE_AREA, /department|directorate|service area|expense area|division/),
    VAT,
    MERCHANT_CATEGORY,
    f('description', 'description', 'text', false, ['Description', 'Narrative', 'Details', 'Line Description']),
    f('transactionRef', 'transaction number', 'reference', false, REFERENCE, /transaction|\btrans\b|ref/),
    f('invoiceRef', 'invoice number', 'reference', false, ['Invoice Number', 'Invoice No', 'Invoice Reference', 'Invoice Ref']),
    f('supplierId', 'supplier ID', 'reference', false, ['Supplier ID', 'Supplier Number', 'Vendor ID']),
    f('expenseCode', 'expense code', 'reference', false, ['Expense Code', 'Expenditure Code', 'Account', 'Account Code', 'Subjective Code']),
    f('vatRegistration', 'supplier’s VAT registration number', 'reference', false, ['VAT Reg No', 'VAT Registration Number', 'VAT Number']),
  ],
  'procurement-card': [
    f('date', 'date of the transaction', 'date', true, PAYMENT_DATE, /\bdate\b/),
    f('amount', 'amount', 'amount', true, AMOUNT, /amount|\bnett?\b|£/),
    f('merchant', 'beneficiary (merchant)', 'text', true, ['Merchant', 'Merchant Name', 'Supplier', 'Supplier Name', 'Name', 'Payee'], /merchant name|supplier|payee/),
    f('purpose', 'summary of the purpose of the expenditure', 'text', true, ['Purpose', 'Expense Type', 'Account Detail', 'Description'], /purpose|expense/),
    f('serviceArea', 'local authority department which incurred the expenditure', 'text', true, SERVICE_AREA, /department|directorate|service/),
    VAT,
    MERCHANT_CATEGORY,
    f('description', 'description', 'text', false, ['Description', 'Narrative', 'Details']),
    f('transactionRef', 'transaction number', 'reference', false, REFERENCE, /transaction|\btrans\b|ref/),
  ],
  'grants-vcse': [
    f('awardDate', 'date the grant was awarded', 'date', true, ['Date the grant was awarded', 'Award Date', 'Date Awarded', 'Date'], /\bdate\b/),
    f('amount', 'amount', 'amount', true, ['Amount', 'Amount Awarded', 'Grant Amount', 'Value'], /amount|£/),
    f('recipient', 'beneficiary', 'text', true, ['Beneficiary', 'Recipient', 'Recipient Org:Name', 'Organisation Name', 'Organisation'], /beneficiary|recipient|organisation/),
    f('registrationNumber', 'beneficiary’s registration number (company and/or charity number)', 'reference', true,
      ['Beneficiary registration number', 'Registration Number', 'Charity Number', 'Company Number', 'Registered Charity Number'], /registration|charity n|company n/),
    f('purpose', 'summary of the purpose of the grant', 'text', true, ['Summary of the purpose of the grant', 'Purpose', 'Description', 'Title'], /purpose|description/),
    f('period', 'time period for which the grant has been given', 'text', true, ['Time period for which the grant has been given', 'Time Period', 'Grant Period', 'Duration'], /period|duration/),
    f('department', 'local authority department which awarded the grant', 'text', true, ['Local authority department which awarded the grant', 'Department', 'Directorate', 'Service Area'], /department|directorate/),
  ],
  'land-assets': [
    f('uprn', 'Unique Property Reference Number', 'reference', true, ['unique_property_reference_number', 'UPRN', 'Unique Property Reference Number'], /\buprn\b|property reference/),
    f('assetId', 'unique asset identity', 'reference', true, ['unique_asset_id', 'Asset ID', 'Asset Reference', 'Property Reference'], /asset id|asset ref/),
    f('name', 'name of the building/land or both', 'text', true, ['name_of_building_land_or_both', 'Property Name', 'Asset Name', 'Name'], /name of (the )?building|property name|asset name/),
    f('streetNumber', 'street number or numbers', 'text', true, ['street_number', 'Street Number', 'Building Number'], /street n|building n/),
    f('streetName', 'street name', 'text', true, ['street_name', 'Street Name', 'Street'], /street name/),
    f('postTown', 'post town', 'text', true, ['postal_town', 'Post Town', 'Town'], /town/),
    f('postcode', 'United Kingdom postcode', 'text', true, ['uk_postcode', 'Postcode', 'Post Code'], /post ?code/),
    f('easting', 'map reference: easting', 'number', true, ['easting', 'Grid Easting', 'X Coordinate'], /easting/),
    f('northing', 'map reference: northing', 'number', true, ['northing', 'Grid Northing', 'Y Coordinate'], /northing/),
    f('tenure', 'tenure (freehold, leasehold, other)', 'text', true, ['tenure_type', 'Tenure', 'Tenure Type'], /tenure/),
    f('tenureDetail', 'tenure details', 'text', false, ['tenure_detail', 'Tenure Detail']),
    f('coordinateSystem', 'which grid the map reference uses', 'text', false, ['coordinate_reference_system', 'Coordinate System']),
  ],
};

/**
 * "Net Amount(£)", " Amount ", "Name:  ", "NET AMOUNT (Â£)" and "net_amount" are
 * the same heading: case, spaces, punctuation, the pound sign and mojibake go.
 */
export function normaliseHeading(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

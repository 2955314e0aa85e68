/**
 * Published payment-by-results frameworks, kept as data: each is a version with its source and
 * the dates it applied, so a revised framework is a new entry here, and a contract set up from a
 * template keeps the terms it was made with (they are copied into the contract's own tables).
 */
import type { Condition } from './rules.ts';

export interface FrameworkYear {
  from: string;
  to: string;
  /** The share of the family's value paid up front as the attachment fee, in whole per cent. */
  attachmentSharePercent: number;
}

export interface FrameworkOutcome {
  key: string;
  name: string;
  conditions: Condition[];
  /** Results that cannot both be paid for one participant (the template lists them both ways). */
  exclusiveWith: string[];
  /**
   * How the results payment is set: `value_less_attachment` pays the result's total value less
   * the attachment fee of the participant's year; `flat` pays the same amount every year.
   */
  payment: { kind: 'value_less_attachment'; valuePence: number } | { kind: 'flat'; pence: number };
  source: string;
}

export interface Framework {
  key: string;
  version: string;
  name: string;
  source: string;
  effectiveFrom: string;
  effectiveTo: string;
  /** Most that can be paid for one participant, attachment fee included. */
  participantValuePence: number;
  /** The short prefix of participants' pseudonyms. */
  pseudonymPrefix: string;
  eligibility: { minimum: number; criteria: [string, string][]; source: string };
  years: FrameworkYear[];
  outcomes: FrameworkOutcome[];
}

const TF_SOURCE =
  'DCLG, Financial Framework for the Troubled Families programme’s payment-by-results scheme for local authorities (March 2012), as summarised in rules.md §5.1 [S]';
const EMPLOYMENT_RESULTS = ['continuous_employment', 'continuous_employment_jsa'];

export const TROUBLED_FAMILIES_PHASE_1: Framework = {
  key: 'troubled-families-phase-1',
  version: '2012-03',
  name: 'Troubled Families programme, phase 1',
  source: TF_SOURCE,
  effectiveFrom: '2012-04-01',
  effectiveTo: '2015-03-31',
  participantValuePence: 400_000,
  pseudonymPrefix: 'TF',
  eligibility: {
    minimum: 3,
    criteria: [
      ['youth_crime_asb', 'Youth crime or anti-social behaviour'],
      ['education', 'Children regularly truanting or not in school'],
      ['out_of_work', 'An adult on out-of-work benefits'],
      ['high_cost', 'High cost to the taxpayer (local discretion)'],
    ],
    source: `${TF_SOURCE}: families meet 3 of the 4 criteria`,
  },
  years: [
    { from: '2012-04-01', to: '2013-03-31', attachmentSharePercent: 80 },
    { from: '2013-04-01', to: '2014-03-31', attachmentSharePercent: 60 },
    { from: '2014-04-01', to: '2015-03-31', attachmentSharePercent: 40 },
  ],
  outcomes: [
    {
      key: 'crime_education',
      name: 'Education, and crime and anti-social behaviour',
      // The attendance window ("the last 3 school terms") comes from a secondary summary and is
      // marked [U] in rules.md: 12 months stands for a school year until the framework is checked.
      conditions: [
        { measure: 'Fixed-term exclusions, highest of any child', test: 'below', threshold: '3', baselineMonths: null, measurementMonths: 12 },
        { measure: 'Unauthorised absence, highest of any child (% of sessions)', test: 'below', threshold: '15', baselineMonths: null, measurementMonths: 12 },
        { measure: 'Anti-social behaviour incidents across the family', test: 'reduction_at_least', threshold: '60', baselineMonths: 6, measurementMonths: 6 },
        { measure: 'Offences by children under 18 in the family', test: 'reduction_at_least', threshold: '33', baselineMonths: 6, measurementMonths: 6 },
      ],
      exclusiveWith: EMPLOYMENT_RESULTS,
      payment: { kind: 'value_less_attachment', valuePence: 390_000 },
      source: `${TF_SOURCE}: total family value £3,900`,
    },
    {
      key: 'continuous_employment',
      name: 'Continuous employment (an adult off out-of-work benefits other than JSA)',
      // Six months for benefits other than JSA is from the secondary summary ([U] in rules.md).
      conditions: [{ measure: 'Months in continuous work, off out-of-work benefits', test: 'at_least', threshold: '6', baselineMonths: null, measurementMonths: 6 }],
      exclusiveWith: ['crime_education', 'progress_to_work', 'continuous_employment_jsa'],
      payment: { kind: 'value_less_attachment', valuePence: 400_000 },
      source: `${TF_SOURCE}: £4,000 total value, replaces the other results`,
    },
    {
      key: 'continuous_employment_jsa',
      name: 'Continuous employment (an adult off Jobseeker’s Allowance)',
      conditions: [{ measure: 'Months in continuous work, off out-of-work benefits', test: 'at_least', threshold: '3', baselineMonths: null, measurementMonths: 3 }],
      exclusiveWith: ['crime_education', 'progress_to_work', 'continuous_employment'],
      payment: { kind: 'value_less_attachment', valuePence: 400_000 },
      source: `${TF_SOURCE}: £4,000 total value, 3 months on JSA`,
    },
    {
      key: 'progress_to_work',
      name: 'Progress to work (an adult volunteers for the Work Programme or joins ESF provision)',
      conditions: [{ measure: 'Joined the Work Programme or ESF provision (1 for yes)', test: 'at_least', threshold: '1', baselineMonths: null, measurementMonths: null }],
      exclusiveWith: EMPLOYMENT_RESULTS,
      payment: { kind: 'flat', pence: 10_000 },
      source: `${TF_SOURCE}: a flat £100`,
    },
  ],
};

export const FRAMEWORKS: readonly Framework[] = [TROUBLED_FAMILIES_PHASE_1];

export const frameworkByKey = (key: string): Framework | undefined => FRAMEWORKS.find((f) => f.key === key);

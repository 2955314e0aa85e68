/**
 * The Community Right to Challenge as data: who may challenge, what an expression of interest
 * must contain, the only grounds on which it may be rejected, and the excluded services. Each
 * item carries the dates it was in force, its source and how sure that is (rules.md §0.1:
 * L legislation read, G official guidance, S secondary source, D derived, U no source), so a
 * change in the law is a new row here, never a change to the rules that use it.
 */
import type { CalendarDate } from '../../lib/dates.ts';

export type Confidence = 'L' | 'G' | 'S' | 'D' | 'U';

export interface InForce {
  /** First day in force; null for "always". */
  from: CalendarDate | null;
  /** Last day in force; null while it still is. */
  to: CalendarDate | null;
  source: string;
  confidence: Confidence;
}

/** The items of a list in force on a date. */
export const inForceOn = <T extends InForce>(items: readonly T[], date: CalendarDate): T[] =>
  items.filter((i) => (i.from === null || i.from <= date) && (i.to === null || date <= i.to));

/** Part 5 Chapter 2 of the Localism Act 2011 and both sets of regulations came into force on this day. */
const COMMENCED = '2012-06-27';
const ACT = 'Localism Act 2011';
const EOI_REGS = 'SI 2012/1313 (Community Right to Challenge (Expressions of Interest and Excluded Services) (England) Regulations 2012)';
const REJECTION_REGS = 'SI 2012/1647 (Community Right to Challenge (Fire and Rescue Authorities and Rejection of Expressions of Interest) (England) Regulations 2012)';

export type BodyKind = 'voluntary_community' | 'charity' | 'parish_council' | 'employee_group';

export interface RelevantBody extends InForce {
  kind: BodyKind;
  words: string;
}

/** s.81(6). "Such other person or body as may be specified" has no regulations, so no row. */
export const RELEVANT_BODIES: readonly RelevantBody[] = [
  { kind: 'voluntary_community', words: 'A voluntary or community body (a body, other than a public or local authority, whose activities are not carried on for profit)', from: COMMENCED, to: null, source: `${ACT} s.81(6)(a), s.81(7)`, confidence: 'L' },
  { kind: 'charity', words: 'A body of persons or a trust established for charitable purposes only', from: COMMENCED, to: null, source: `${ACT} s.81(6)(b)`, confidence: 'L' },
  { kind: 'parish_council', words: 'A parish council', from: COMMENCED, to: null, source: `${ACT} s.81(6)(c)`, confidence: 'L' },
  { kind: 'employee_group', words: 'Two or more employees of the council', from: COMMENCED, to: null, source: `${ACT} s.81(6)(d)`, confidence: 'L' },
];

export type ContentField = 'financialResources' | 'capabilityEvidence' | 'serviceAndArea' | 'outcomes' | 'wellBeing' | 'serviceUsers' | 'employeeEngagement';

export interface ContentRequirement extends InForce {
  field: ContentField;
  paragraph: string;
  /** What is missing, in the words shown to the submitter. */
  missing: string;
  /** Only employee groups must give it (para 6). */
  employeeGroupsOnly: boolean;
  /** Also asked of each consortium member and sub-contractor (para 1). */
  eachPartner: boolean;
}

/** SI 2012/1313 reg 3 and Schedule 1. Paras 4–6 are worded from councils' summaries of the text. */
export const EOI_CONTENT: readonly ContentRequirement[] = [
  { field: 'financialResources', paragraph: 'Schedule 1 para 2', missing: 'Information about the financial resources of the body', employeeGroupsOnly: false, eachPartner: true, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 paras 1–2`, confidence: 'L' },
  { field: 'capabilityEvidence', paragraph: 'Schedule 1 para 3', missing: 'Evidence that, by the time of any procurement exercise, the body will be capable of providing or assisting in providing the service', employeeGroupsOnly: false, eachPartner: true, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 paras 1, 3`, confidence: 'L' },
  { field: 'serviceAndArea', paragraph: 'Schedule 1 para 4', missing: 'Information identifying the service and the geographical area the expression of interest relates to', employeeGroupsOnly: false, eachPartner: false, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 para 4 (as summarised by hinckley-bosworth.gov.uk)`, confidence: 'S' },
  { field: 'outcomes', paragraph: 'Schedule 1 para 5', missing: 'The outcomes the body would achieve in providing the service', employeeGroupsOnly: false, eachPartner: false, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 para 5 (as summarised by hinckley-bosworth.gov.uk)`, confidence: 'S' },
  { field: 'wellBeing', paragraph: 'Schedule 1 para 5', missing: 'How the body would promote or improve the social, economic or environmental well-being of the area', employeeGroupsOnly: false, eachPartner: false, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 para 5 (as summarised by hinckley-bosworth.gov.uk)`, confidence: 'S' },
  { field: 'serviceUsers', paragraph: 'Schedule 1 para 5', missing: 'How the body would meet the needs of the people who use the service', employeeGroupsOnly: false, eachPartner: false, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 para 5 (as summarised by hinckley-bosworth.gov.uk)`, confidence: 'S' },
  { field: 'employeeEngagement', paragraph: 'Schedule 1 para 6', missing: 'How the employee group will engage the other council employees affected', employeeGroupsOnly: true, eachPartner: false, from: COMMENCED, to: null, source: `${EOI_REGS} Sch 1 para 6 (as summarised by nuneatonandbedworth.gov.uk)`, confidence: 'S' },
];

export type GroundCode =
  | 'NON_COMPLIANT'
  | 'INFO_INADEQUATE'
  | 'NOT_SUITABLE'
  | 'DECISION_TO_STOP'
  | 'NHS_INTEGRATED'
  | 'ALREADY_PROCURING'
  | 'IN_NEGOTIATION'
  | 'EMPLOYEE_MUTUAL_PLANNED'
  | 'FRIVOLOUS_VEXATIOUS'
  | 'UNLAWFUL';

export interface RejectionGround extends InForce {
  code: GroundCode;
  paragraph: number;
  words: string;
}

const ground = (paragraph: number, code: GroundCode, words: string, confidence: Confidence = 'L', note = ''): RejectionGround => ({
  code,
  paragraph,
  words,
  from: COMMENCED,
  to: null,
  source: `${REJECTION_REGS} reg 4 and Schedule para ${paragraph}${note}`,
  confidence,
});

/** The only grounds on which an expression of interest may be rejected (s.83(11); exhaustive). */
export const REJECTION_GROUNDS: readonly RejectionGround[] = [
  ground(1, 'NON_COMPLIANT', 'The expression of interest does not comply with one or more of the requirements in section 81(1) of the Act or in regulations made under section 81(1)(b).'),
  ground(2, 'INFO_INADEQUATE', 'The relevant body provides information which, in the opinion of the council, is in a material particular inadequate or inaccurate.'),
  ground(3, 'NOT_SUITABLE', 'Based on the information in the expression of interest, the council considers that the relevant body or, where applicable, any member of its consortium or any sub-contractor named in it, is not suitable to provide or assist in providing the service.'),
  ground(4, 'DECISION_TO_STOP', 'The expression of interest relates to a service where a decision, evidenced in writing, has been taken to stop providing that service.'),
  ground(5, 'NHS_INTEGRATED', 'The service is provided, in whole or in part, to persons who also receive a service provided or arranged by an NHS body which is integrated with it, and the council considers that continued integration is critical to the well-being of those persons.'),
  ground(6, 'ALREADY_PROCURING', 'The service is already the subject of a procurement exercise.'),
  ground(7, 'IN_NEGOTIATION', 'The council and a third party have entered into negotiations for the provision of the service, which negotiations are at least in part conducted in writing.'),
  ground(8, 'EMPLOYEE_MUTUAL_PLANNED', 'The council has published its intention to consider the provision of the service by a body that two or more specified employees of the council propose to establish.'),
  ground(9, 'FRIVOLOUS_VEXATIOUS', 'The council considers the expression of interest frivolous or vexatious.'),
  ground(10, 'UNLAWFUL', 'The council considers that acceptance of the expression of interest is likely to lead to contravention of an enactment or other rule of law or a breach of statutory duty.', 'S', ' (the text read was cut short; completed from thurrock.gov.uk)'),
];

export interface ExcludedService extends InForce {
  paragraph: string;
  words: string;
}

/** SI 2012/1313 reg 4 and Schedule 2: not "relevant services" (s.81(5)). Para 1's exact words were not read. */
export const EXCLUDED_SERVICES: readonly ExcludedService[] = [
  { paragraph: 'Schedule 2 para 1', words: 'Services commissioned for a named person with complex individual health or social care needs (a common summary; the council should check the text)', from: COMMENCED, to: null, source: `${EOI_REGS} Sch 2 para 1`, confidence: 'U' },
  { paragraph: 'Schedule 2 paras 2 and 3', words: 'Ceased to have effect on 1 April 2014 (reg 4(2))', from: COMMENCED, to: '2014-03-31', source: `${EOI_REGS} reg 4(2)`, confidence: 'L' },
];

export type PeriodUnit = 'days' | 'weeks' | 'months';

/**
 * How long the council has to tell a body when it will decide. Councils cite 30 days "of
 * receiving the EOI or, where periods are set, the end of the period"; the provision itself was
 * not found (rules.md §1.6), so this is only the starting value of the council's own setting.
 */
export const TIMESCALE_NOTICE_DEFAULT: InForce & { days: number } = {
  days: 30,
  from: COMMENCED,
  to: null,
  source: 'mycommunity.org.uk (Community Right to Challenge, step 5); broxtowe.gov.uk — statutory provision not found: needs a source',
  confidence: 'U',
};

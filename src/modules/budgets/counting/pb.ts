/**
 * The Pabulib file format (https://pabulib.org/format): sections META, PROJECTS and VOTES, each a
 * ';'-separated table under a header line. `parsePb` reads what real files contain (a byte-order
 * mark, CRLF line ends, quoted fields, trailing semicolons, decimal commas in amounts) and refuses
 * anything it cannot read unambiguously with a `PbFormatError` naming the line. Amounts stay exact.
 */
import { compare, equals, parseDecimal, toDecimalString, ZERO, type Rational } from '../../../lib/rational.ts';

export const VOTE_TYPES = ['approval', 'choose-1', 'cumulative', 'scoring', 'ordinal'] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

export interface PbProject {
  id: string;
  /** In the election's own currency units, exact. */
  cost: Rational;
  name: string | null;
  /** Every other column, by header name (category, votes, selected, …). */
  fields: Record<string, string>;
}

export interface PbVote {
  voterId: string;
  /** Project ids in the order the ballot lists them (the ranking, for ordinal votes). */
  projects: string[];
  /** Points given to each listed project, for cumulative and scoring votes; null otherwise. */
  points: Rational[] | null;
  /** Every other column, by header name (age, sex, voting_method, …). */
  fields: Record<string, string>;
}

export interface PbElection {
  /** Every META key and value, in file order. */
  meta: Map<string, string>;
  budget: Rational;
  voteType: VoteType;
  /** PROJECTS and VOTES headers, in file order, so that `writePb` keeps the layout. */
  projectColumns: string[];
  voteColumns: string[];
  projects: PbProject[];
  votes: PbVote[];
}

export class PbFormatError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

const SECTIONS = ['meta', 'projects', 'votes'] as const;
type Section = (typeof SECTIONS)[number];

/** One ';'-separated line, with "…" quoting and "" for a quote inside quotes; fields trimmed. */
function splitLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ';') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  if (quoted) throw new PbFormatError(line, 'A quoted field is not closed (a " is missing)');
  fields.push(field.trim());
  return fields;
}

/** Fields past the header that are empty come from trailing semicolons; anything else is an error. */
function toRecord(header: string[], fields: string[], line: number): Record<string, string> {
  const extra = fields.slice(header.length).filter((f) => f !== '');
  if (extra.length > 0) throw new PbFormatError(line, `This line has ${fields.length} fields but the header above has only ${header.length}`);
  const record: Record<string, string> = {};
  header.forEach((name, i) => (record[name] = fields[i] ?? ''));
  return record;
}

function checkHeader(header: string[], required: string[], section: string, line: number): void {
  for (const name of required) {
    if (!header.includes(name)) throw new PbFormatError(line, `The ${section} header has no "${name}" column`);
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new PbFormatError(line, `The ${section} header names the column "${name}" twice`);
    seen.add(name);
  }
}

function amount(text: string | undefined, what: string, line: number): Rational {
  const value = text === undefined ? null : parseDecimal(text);
  if (!value) throw new PbFormatError(line, `${what} "${text ?? ''}" is not a number`);
  return value;
}

interface Table {
  headerLine: number;
  header: string[];
  rows: { line: number; fields: string[] }[];
}

/** Splits the text into its three sections, each with its header and rows. */
function readSections(text: string): Map<Section, Table> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const tables = new Map<Section, Table>();
  let current: Table | null = null;
  let expectHeader = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fields = splitLine(raw, line);
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    if (fields.every((f) => f === '')) return;
    if (fields.length === 1 && /^[A-Za-z_]+$/.test(fields[0]!) && !expectHeader) {
      const name = fields[0]!.toLowerCase();
      if (!(SECTIONS as readonly string[]).includes(name)) {
        throw new PbFormatError(line, `Unknown section "${fields[0]}": a Pabulib file has the sections META, PROJECTS and VOTES`);
      }
      if (tables.has(name as Section)) throw new PbFormatError(line, `The section ${name.toUpperCase()} appears twice`);
      current = { headerLine: line + 1, header: [], rows: [] };
      tables.set(name as Section, current);
      expectHeader = true;
      return;
    }
    if (!current) throw new PbFormatError(line, 'The file must start with the META section');
    const table: Table = current;
    if (expectHeader) {
      table.header = fields;
      table.headerLine = line;
      expectHeader = false;
    } else table.rows.push({ line, fields });
  });
  if (expectHeader) throw new PbFormatError(lines.length, 'The last section has no header line');
  return tables;
}

function requireSection(tables: Map<Section, Table>, name: Section): Table {
  const table = tables.get(name);
  if (!table) throw new PbFormatError(1, `The file has no ${name.toUpperCase()} section`);
  return table;
}

function readMeta(table: Table): Map<string, string> {
  const meta = new Map<string, string>();
  for (const { line, fields } of table.rows) {
    const [key = '', ...rest] = fields;
    // An unquoted ';' inside a value (a description, say) splits it: put it back together.
    const value = rest.join(';');
    if (meta.has(key)) throw new PbFormatError(line, `The META key "${key}" appears twice`);
    meta.set(key, value);
  }
  return meta;
}

function readVoteType(meta: Map<string, string>, line: number): VoteType {
  const voteType = meta.get('vote_type');
  if (voteType === undefined) throw new PbFormatError(line, 'META has no vote_type');
  if (!(VOTE_TYPES as readonly string[]).includes(voteType)) {
    throw new PbFormatError(line, `The vote_type "${voteType}" is not one of ${VOTE_TYPES.join(', ')}`);
  }
  return voteType as VoteType;
}

function readProjects(table: Table): PbProject[] {
  checkHeader(table.header, ['project_id', 'cost'], 'PROJECTS', table.headerLine);
  const seen = new Set<string>();
  return table.rows.map(({ line, fields }) => {
    const { project_id: id = '', cost, name, ...rest } = toRecord(table.header, fields, line);
    if (id === '') throw new PbFormatError(line, 'This project has no project_id');
    if (seen.has(id)) throw new PbFormatError(line, `The project id "${id}" appears twice`);
    seen.add(id);
    const value = amount(cost, `The cost of project ${id}`, line);
    if (compare(value, ZERO) < 0) throw new PbFormatError(line, `The cost of project ${id} is negative`);
    return { id, cost: value, name: name ?? null, fields: rest };
  });
}

const listItems = (text: string) => (text === '' ? [] : text.split(',').map((s) => s.trim()));

function readVotes(table: Table, voteType: VoteType, projectIds: Set<string>): PbVote[] {
  const withPoints = voteType === 'cumulative' || voteType === 'scoring';
  checkHeader(table.header, ['voter_id', 'vote', ...(withPoints ? ['points'] : [])], 'VOTES', table.headerLine);
  const seen = new Set<string>();
  return table.rows.map(({ line, fields }) => {
    const { voter_id: voterId = '', vote = '', points: pointsText, ...rest } = toRecord(table.header, fields, line);
    if (voterId === '') throw new PbFormatError(line, 'This vote has no voter_id');
    if (seen.has(voterId)) throw new PbFormatError(line, `The voter id "${voterId}" appears twice`);
    seen.add(voterId);
    const projects = listItems(vote).filter((id) => id !== '' || withPoints);
    const listed = new Set<string>();
    for (const id of projects) {
      if (!projectIds.has(id)) throw new PbFormatError(line, `Voter ${voterId} votes for "${id}", which is not in PROJECTS`);
      if (listed.has(id)) throw new PbFormatError(line, `Voter ${voterId} lists project ${id} twice`);
      listed.add(id);
    }
    if (!withPoints) {
      if (pointsText !== undefined) rest.points = pointsText;
      return { voterId, projects, points: null, fields: rest };
    }
    const pointItems = listItems(pointsText ?? '');
    if (pointItems.length !== projects.length) {
      throw new PbFormatError(line, `Voter ${voterId} lists ${projects.length} projects but ${pointItems.length} points`);
    }
    const points = pointItems.map((p, i) => amount(p, `The points for project ${projects[i]}`, line));
    return { voterId, projects, points, fields: rest };
  });
}

export function parsePb(text: string): PbElection {
  const tables = readSections(text);
  const metaTable = requireSection(tables, 'meta');
  const projectTable = requireSection(tables, 'projects');
  const voteTable = requireSection(tables, 'votes');
  if (projectTable.headerLine < metaTable.headerLine || voteTable.headerLine < projectTable.headerLine) {
    throw new PbFormatError(Math.min(projectTable.headerLine, voteTable.headerLine) - 1, 'The sections must come in the order META, PROJECTS, VOTES');
  }
  const meta = readMeta(metaTable);
  const metaLine = (key: string) => metaTable.rows.find((r) => r.fields[0] === key)?.line ?? metaTable.headerLine - 1;
  if (!meta.has('budget')) throw new PbFormatError(metaTable.headerLine - 1, 'META has no budget');
  const budget = amount(meta.get('budget'), 'The budget', metaLine('budget'));
  const voteType = readVoteType(meta, metaLine('vote_type'));
  const projects = readProjects(projectTable);
  const votes = readVotes(voteTable, voteType, new Set(projects.map((p) => p.id)));
  return { meta, budget, voteType, projectColumns: projectTable.header, voteColumns: voteTable.header, projects, votes };
}

/** A field as `parsePb` reads it back: quoted when it holds a ';', a quote or edge spaces. */
function field(value: string): string {
  return /[;"]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const row = (values: string[]) => values.map(field).join(';');

function metaLines(election: PbElection): string[] {
  const meta = new Map(election.meta);
  // The typed budget and vote type win over META text that says otherwise.
  const written = parseDecimal(meta.get('budget') ?? '');
  if (!written || !equals(written, election.budget)) meta.set('budget', toDecimalString(election.budget));
  meta.set('vote_type', election.voteType);
  return ['META', 'key;value', ...[...meta].map(([k, v]) => row([k, v]))];
}

function projectLines(election: PbElection): string[] {
  const columns = withRequired(election.projectColumns, ['project_id', 'cost']);
  const cell = (p: PbProject, column: string) =>
    column === 'project_id' ? p.id : column === 'cost' ? toDecimalString(p.cost) : column === 'name' ? (p.name ?? '') : (p.fields[column] ?? '');
  return ['PROJECTS', row(columns), ...election.projects.map((p) => row(columns.map((c) => cell(p, c))))];
}

function voteLines(election: PbElection): string[] {
  const withPoints = election.voteType === 'cumulative' || election.voteType === 'scoring';
  const columns = withRequired(election.voteColumns, ['voter_id', 'vote', ...(withPoints ? ['points'] : [])]);
  const cell = (v: PbVote, column: string) => {
    if (column === 'voter_id') return v.voterId;
    if (column === 'vote') return v.projects.join(',');
    if (column === 'points' && withPoints) return (v.points ?? []).map(toDecimalString).join(',');
    return v.fields[column] ?? '';
  };
  return ['VOTES', row(columns), ...election.votes.map((v) => row(columns.map((c) => cell(v, c))))];
}

const withRequired = (columns: string[], required: string[]) => [...required.filter((c) => !columns.includes(c)), ...columns];

/** The election as a Pabulib file that `parsePb` reads back to an identical election. */
export function writePb(election: PbElection): string {
  return [...metaLines(election), ...projectLines(election), ...voteLines(election)].join('\n') + '\n';
}

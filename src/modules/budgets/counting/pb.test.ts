import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePb, PbFormatError, writePb } from './pb.ts';
import { rational } from '../../../lib/rational.ts';

const DATA = new URL('../../../../../shared/data/pabulib/', import.meta.url);
const realFiles = fs.readdirSync(DATA).filter((f) => f.endsWith('.pb'));

const SMALL = [
  'META',
  'key;value',
  'description;"A small ""test""; with a semicolon"',
  'budget;100,5',
  'vote_type;cumulative',
  'PROJECTS',
  'project_id;cost;name;category',
  '1;40;"Park; benches";green',
  '2;60.25;Library;',
  'VOTES',
  'voter_id;vote;points;age',
  'a;1,2;3,2;34',
  'b;2;5;',
].join('\r\n');

function errorOf(text: string): PbFormatError {
  try {
    parsePb(text);
  } catch (err) {
    if (err instanceof PbFormatError) return err;
    throw err;
  }
  throw new Error('parsed without error');
}

describe('parsePb', () => {
  it('reads META, PROJECTS and VOTES, with quotes, CRLF, a BOM and decimal commas', () => {
    const election = parsePb('\uFEFF' + SMALL);
    expect(election.budget).toEqual(rational(201n, 2n));
    expect(election.voteType).toBe('cumulative');
    expect(election.meta.get('description')).toBe('A small "test"; with a semicolon');
    expect(election.projects).toEqual([
      { id: '1', cost: rational(40n), name: 'Park; benches', fields: { category: 'green' } },
      { id: '2', cost: rational(241n, 4n), name: 'Library', fields: { category: '' } },
    ]);
    expect(election.votes[0]).toEqual({ voterId: 'a', projects: ['1', '2'], points: [rational(3n), rational(2n)], fields: { age: '34' } });
    expect(election.votes[1]!.points).toEqual([rational(5n)]);
  });

  it('tolerates trailing semicolons and blank lines', () => {
    const text = 'META;\nkey;value;\nbudget;10;\nvote_type;approval;\n\nPROJECTS;\nproject_id;cost;\n1;5;\n\nVOTES;\nvoter_id;vote;\nv1;1;\nv2;;\n';
    const election = parsePb(text);
    expect(election.votes.map((v) => v.projects)).toEqual([['1'], []]);
  });

  it.each([
    ['an unknown section', 'META\nkey;value\nbudget;1\nvote_type;approval\nBALLOTS\nx;y\n', 5, /Unknown section "BALLOTS"/],
    ['data before any section', 'budget;1\n', 1, /must start with the META section/],
    ['a missing budget', 'META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n', 1, /no budget/],
    ['a budget that is not a number', 'META\nkey;value\nbudget;lots\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n', 3, /budget "lots" is not a number/],
    ['an unknown vote type', 'META\nkey;value\nbudget;1\nvote_type;quadratic\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n', 4, /vote_type "quadratic"/],
    ['a cost that is not a number', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n2;five\nVOTES\nvoter_id;vote\n', 8, /cost of project 2 "five" is not a number/],
    ['a negative cost', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n', 7, /negative/],
    ['a duplicate project id', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n', 8, /"1" appears twice/],
    ['a vote for an unknown project', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\nv2;1,7\n', 11, /"7", which is not in PROJECTS/],
    ['points not matching the votes', 'META\nkey;value\nbudget;1\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote;points\nv1;1,2;3\n', 11, /2 projects but 1 points/],
    ['points that are not numbers', 'META\nkey;value\nbudget;1\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote;points\nv1;1;x\n', 10, /points for project 1 "x"/],
    ['a missing points column', 'META\nkey;value\nbudget;1\nvote_type;scoring\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n', 9, /no "points" column/],
    ['a duplicate voter id', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\nv1;1\n', 11, /voter id "v1" appears twice/],
    ['a project listed twice in one vote', 'META\nkey;value\nbudget;1\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1,1\n', 10, /lists project 1 twice/],
    ['too many fields', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5;extra\nVOTES\nvoter_id;vote\n', 7, /3 fields but the header above has only 2/],
    ['an unclosed quote', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;5;"Park\nVOTES\nvoter_id;vote\n', 7, /quoted field is not closed/],
    ['a missing VOTES section', 'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n', 1, /no VOTES section/],
    ['a repeated section', 'META\nkey;value\nbudget;1\nvote_type;approval\nMETA\nkey;value\n', 5, /META appears twice/],
  ])('refuses %s, naming the line', (_, text, line, message) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });
});

describe('writePb', () => {
  it('writes what parsePb reads back identically, quoting where needed', () => {
    const election = parsePb(SMALL);
    const written = writePb(election);
    expect(written).toContain('"Park; benches"');
    expect(parsePb(written)).toEqual(election);
  });

  it('writes the typed budget when it differs from the META text', () => {
    const election = { ...parsePb(SMALL), budget: rational(7n) };
    expect(parsePb(writePb(election)).meta.get('budget')).toBe('7');
  });

  it.each(realFiles)('round-trips %s', (file) => {
    const election = parsePb(fs.readFileSync(new URL(file, DATA), 'utf8'));
    expect(parsePb(writePb(election))).toEqual(election);
  });
});

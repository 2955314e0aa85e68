import { describe, expect, it } from 'vitest';
import { END_KINDS, MEMBERSHIP_STATUSES, endProblem, isEndKind, joinProblem } from './rules.ts';

describe('membership statuses', () => {
  it('ends a membership only as lapsed or withdrawn, both of them statuses', () => {
    expect([...END_KINDS]).toEqual(['lapsed', 'withdrawn']);
    for (const kind of END_KINDS) expect(Object.hasOwn(MEMBERSHIP_STATUSES, kind)).toBe(true);
  });

  it.each(['lapsed', 'withdrawn'])('%s is an end kind', (kind) => {
    expect(isEndKind(kind)).toBe(true);
  });

  it.each(['active', '', 'Lapsed', 'expelled', 'toString'])('%j is not', (kind) => {
    expect(isEndKind(kind)).toBe(false);
  });
});

describe('joinProblem', () => {
  it('lets someone join who has never been a member', () => {
    expect(joinProblem(null)).toBeNull();
  });

  it('lets a former member join again', () => {
    expect(joinProblem({ status: 'lapsed' })).toBeNull();
    expect(joinProblem({ status: 'withdrawn' })).toBeNull();
  });

  it('refuses a second membership: one person, one vote', () => {
    expect(joinProblem({ status: 'active' })).toBe('You are already a member of this co-operative');
  });
});

describe('endProblem', () => {
  it('ends an active membership', () => {
    expect(endProblem({ status: 'active' })).toBeNull();
  });

  it('refuses to end what does not exist', () => {
    expect(endProblem(null)).toBe('This person is not a member');
  });

  it('refuses to end a membership twice, saying how it ended', () => {
    expect(endProblem({ status: 'lapsed' })).toBe('This membership has already ended (lapsed)');
    expect(endProblem({ status: 'withdrawn' })).toBe('This membership has already ended (withdrawn)');
  });
});

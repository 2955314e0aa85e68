import { describe, expect, it } from 'vitest';
import { kindOfOrganisation, orderedPair, organisationMatches, supplierGroups, undecidedProposals, type SupplierDecision } from './supplier-resolution.ts';
import type { MergeProposal } from './suppliers.ts';

const merge = (keyA: string, keyB: string): SupplierDecision => ({ keyA, keyB, decision: 'merge' });
const apart = (keyA: string, keyB: string): SupplierDecision => ({ keyA, keyB, decision: 'keep-apart' });

describe('supplierGroups', () => {
  it('shows a merged group under the key with the most spend, whichever way round it was merged', () => {
    const spend = new Map([['name:acme', 500], ['name:acmee', 90_000]]);
    expect(supplierGroups([merge('name:acme', 'name:acmee')], spend)).toEqual(new Map([['name:acme', 'name:acmee'], ['name:acmee', 'name:acmee']]));
    expect(supplierGroups([merge('name:acmee', 'name:acme')], spend)).toEqual(new Map([['name:acme', 'name:acmee'], ['name:acmee', 'name:acmee']]));
  });

  it('chains merges into one supplier and ties on spend go to the smaller key', () => {
    const groups = supplierGroups([merge('name:b', 'name:c'), merge('name:a', 'name:b'), merge('name:x', 'name:y')], new Map());
    expect(groups.get('name:a')).toBe('name:a');
    expect(groups.get('name:b')).toBe('name:a');
    expect(groups.get('name:c')).toBe('name:a');
    expect(groups.get('name:y')).toBe('name:x');
  });

  it('leaves out keys only ever kept apart', () => {
    expect(supplierGroups([apart('name:a', 'name:b')], new Map()).size).toBe(0);
  });
});

describe('undecidedProposals', () => {
  const proposal = (a: string, b: string): MergeProposal => ({ names: [a, b], keys: [a, b], reason: 'one letter' });
  it('drops proposals decided either way round, and pairs already one supplier through other merges', () => {
    const decisions = [apart('name:b', 'name:a'), merge('name:c', 'name:d'), merge('name:d', 'name:e')];
    const groups = supplierGroups(decisions, new Map());
    const left = undecidedProposals([proposal('name:a', 'name:b'), proposal('name:c', 'name:e'), proposal('name:e', 'name:f')], decisions, groups);
    expect(left.map((p) => p.keys)).toEqual([['name:e', 'name:f']]);
  });

  it('orders a pair one way only', () => {
    expect(orderedPair('name:z', 'name:a')).toEqual(['name:a', 'name:z']);
    expect(orderedPair('name:a', 'name:z')).toEqual(['name:a', 'name:z']);
  });
});

describe('organisationMatches', () => {
  const orgs = [
    { id: 'o1', name: 'Brixton Food Bank', type: 'charity', charityNumber: '1123456', companyNumber: null },
    { id: 'o2', name: 'Acme Services Limited', type: 'sme', charityNumber: null, companyNumber: '1234567' },
    { id: 'o3', name: 'Twin Name', type: 'charity', charityNumber: null, companyNumber: null },
    { id: 'o4', name: 'Twin Name Ltd', type: 'sme', charityNumber: null, companyNumber: null },
  ];

  it('matches on a charity number, a Companies House number with its leading zero, or the normalised name', () => {
    const matches = organisationMatches(['charity:1123456', 'company:01234567', 'name:acme services', 'name:nobody'], orgs);
    expect(matches.get('charity:1123456')?.organisationId).toBe('o1');
    expect(matches.get('charity:1123456')?.reason).toBe('Brixton Food Bank: its charity number, 1123456');
    expect(matches.get('company:01234567')?.organisationId).toBe('o2');
    expect(matches.get('name:acme services')?.organisationId).toBe('o2');
    expect(matches.has('name:nobody')).toBe(false);
  });

  it('matches nobody when two organisations answer to the same key', () => {
    expect(organisationMatches(['name:twin name'], orgs).size).toBe(0);
  });
});

describe('kindOfOrganisation', () => {
  it('counts the voluntary sector, social enterprises and SMEs as the dashboards do', () => {
    expect(kindOfOrganisation('charity')).toBe('vcs');
    expect(kindOfOrganisation('voluntary_community')).toBe('vcs');
    expect(kindOfOrganisation('public_service_mutual')).toBe('social-enterprise');
    expect(kindOfOrganisation('sme')).toBe('sme');
    expect(kindOfOrganisation('partner_agency')).toBe('public-body');
    expect(kindOfOrganisation('private_company')).toBe('unknown');
    expect(kindOfOrganisation('toString')).toBe('unknown');
  });
});

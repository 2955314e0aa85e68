import { describe, expect, it } from 'vitest';
import { COUNCIL_QUOTATION_THRESHOLD, DEFAULT_SETTINGS, NOTIFIABLE_BELOW_THRESHOLD, SUB_CENTRAL_SUPPLIES_AND_SERVICES, TRANSPARENCY_CONTRACTS, versionOn } from './settings.ts';

describe('versionOn', () => {
  it('picks the sub-central threshold in force on the day, across PCR 2015 and both PA 2023 versions', () => {
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2023-12-31')).toBeNull();
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2024-01-01')?.source).toMatch(/Public Contracts Regulations 2015/);
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2025-02-23')?.source).toMatch(/Public Contracts Regulations 2015/);
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2025-02-24')).toMatchObject({ value: 21_490_400, source: expect.stringMatching(/Procurement Act 2023/) });
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2025-12-31')?.value).toBe(21_490_400);
    expect(versionOn(SUB_CENTRAL_SUPPLIES_AND_SERVICES, '2026-01-01')?.value).toBe(20_772_000);
  });

  it('has the Transparency Code threshold from 1 April 2015 and the PA 2023 £30,000 from 24 February 2025 only', () => {
    expect(versionOn(TRANSPARENCY_CONTRACTS, '2015-03-31')).toBeNull();
    expect(versionOn(TRANSPARENCY_CONTRACTS, '2015-04-01')?.value).toBe(500_000);
    expect(versionOn(NOTIFIABLE_BELOW_THRESHOLD, '2025-02-23')).toBeNull();
    expect(versionOn(NOTIFIABLE_BELOW_THRESHOLD, '2025-02-24')?.value).toBe(3_000_000);
  });

  it('leaves the council’s own threshold unset until the council enters it ([U] in rules.md)', () => {
    expect(COUNCIL_QUOTATION_THRESHOLD.versions).toEqual([]);
    expect(versionOn(COUNCIL_QUOTATION_THRESHOLD, '2026-01-01')).toBeNull();
  });

  it('gives every version a source, and marks house starting points U', () => {
    const settings = Object.values(DEFAULT_SETTINGS).flatMap((s) => (Array.isArray(s) ? s : [s])).filter((s) => 'versions' in s);
    for (const setting of settings) {
      for (const version of setting.versions) {
        expect(version.source.length).toBeGreaterThan(10);
        if (version.from === null) expect(version.confidence).toBe('U');
      }
    }
  });

  it('has no overlapping versions, so a date never has two', () => {
    for (const threshold of DEFAULT_SETTINGS.splitThresholds) {
      const sorted = [...threshold.versions].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''));
      for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.to! < sorted[i]!.from!).toBe(true);
    }
  });
});

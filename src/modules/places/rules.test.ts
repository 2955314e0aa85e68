import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postcodeIndex } from './reference.ts';
import {
  GSS_ENTITY,
  findPostcode,
  isGssCode,
  isLocalAuthorityCode,
  isSlug,
  isWardCode,
  normalisePostcode,
  wardsOf,
  type PostcodeIndex,
} from './rules.ts';

const LAMBETH = 'E09000022';
const SOUTHWARK = 'E09000028';
const TOWER_HAMLETS = 'E09000030';

describe('GSS codes', () => {
  it.each(['E05014095', 'E09000022', 'W05000001', 'S13002516', 'N08000101', 'E10000016', 'E00000001'])('%s is a GSS code', (code) => {
    expect(isGssCode(code)).toBe(true);
  });

  it.each(['', 'e05014095', 'E0501409', 'E050140950', 'X05014095', 'K04000001', 'E05 014095', ' E05014095', 'E05014095 ', 'E0501409A', 'GB-LAE-LBH'])(
    '%j is not',
    (code) => {
      expect(isGssCode(code)).toBe(false);
    },
  );

  it.each([
    ['E05014095', true], // Brixton Acre Lane, a London ward
    ['W05000001', true],
    ['S13002516', true],
    ['N08000101', true],
    [LAMBETH, false],
    ['E06000001', false],
    ['E04000001', false], // a civil parish
    ['E58000001', false], // a county electoral division
  ])('isWardCode(%s) is %s', (code, expected) => {
    expect(isWardCode(code)).toBe(expected);
  });

  it.each([
    [LAMBETH, true], // London borough
    ['E09000001', true], // City of London
    ['E06000053', true], // Isles of Scilly, a unitary authority
    ['E07000008', true], // non-metropolitan district
    ['E08000003', true], // metropolitan district
    ['W06000015', true], // Welsh unitary authority
    ['S12000036', true], // Scottish council area
    ['N09000003', true], // Northern Irish district
    ['E05014095', false], // a ward
    ['E10000016', false], // a county
    ['E12000007', false], // a region
    ['E0900002', false], // too short
  ])('isLocalAuthorityCode(%s) is %s', (code, expected) => {
    expect(isLocalAuthorityCode(code)).toBe(expected);
  });

  it('has no prefix that is both a ward and a local authority', () => {
    const wards: readonly string[] = GSS_ENTITY.ward;
    expect(GSS_ENTITY.localAuthority.filter((p) => wards.includes(p))).toEqual([]);
  });
});

describe('isSlug', () => {
  it.each(['lambeth', 'tower-hamlets', 'la', 'a1', 'ward-2026', 'a'.repeat(40), 'a--b'])('accepts %s', (slug) => {
    expect(isSlug(slug)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['l', 'one character'],
    ['a'.repeat(41), 'more than 40 characters'],
    ['Lambeth', 'capitals'],
    ['1lambeth', 'starts with a digit'],
    ['-lambeth', 'starts with a hyphen'],
    ['lambeth-', 'ends with a hyphen'],
    ['tower hamlets', 'a space'],
    ['tower_hamlets', 'an underscore'],
    ['lambeth\n', 'a trailing newline'],
    ['südwark', 'a non-ASCII letter'],
    ['../admin', 'a path'],
  ])('rejects %j (%s)', (slug) => {
    expect(isSlug(slug)).toBe(false);
  });
});

describe('normalisePostcode', () => {
  it.each([
    ['SW2 1RW', 'SW2 1RW'],
    ['sw2 1rw', 'SW2 1RW'],
    ['SW21RW', 'SW2 1RW'],
    [' Sw2  1RW ', 'SW2 1RW'],
    ['sw2\t1rw', 'SW2 1RW'],
    ['SW2\u00a01RW', 'SW2 1RW'],
    ['s w 2 1 r w', 'SW2 1RW'],
    ['se12qh', 'SE1 2QH'],
    ['E1 1BJ', 'E1 1BJ'],
    ['e1w1aa', 'E1W 1AA'],
    ['ec3n 4ab', 'EC3N 4AB'],
    ['CR41TL', 'CR4 1TL'],
    ['SE11 5QY', 'SE11 5QY'],
    ['M1 1AE', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['W1A 0AX', 'W1A 0AX'],
  ])('%j is %s', (input, postcode) => {
    expect(normalisePostcode(input)).toBe(postcode);
  });

  it.each([[''], ['   '], ['SW2'], ['1RW'], ['SW2 1R'], ['SW2 1RWX'], ['SW2-1RW'], ['SW2 RW1'], ['SW 1RW'], ['12345'], ['SWA2 1RW'], ['SW2 11W'], ['Lambeth']])(
    'rejects %j',
    (input) => {
      expect(normalisePostcode(input)).toBeNull();
    },
  );

  it('is idempotent', () => {
    for (const input of ['sw21rw', ' ec3n 4ab', 'E1W1AA']) {
      const once = normalisePostcode(input)!;
      expect(normalisePostcode(once)).toBe(once);
    }
  });
});

describe('findPostcode against the ONSPD index in reference-data/geography', () => {
  const index = postcodeIndex();
  const find = (input: string) => {
    const postcode = normalisePostcode(input);
    expect(postcode).not.toBeNull();
    return findPostcode(index, postcode!);
  };

  it('is the May 2026 ONSPD edition with December 2025 wards for the three boroughs', () => {
    expect(index.boroughs).toEqual([
      { code: LAMBETH, name: 'Lambeth' },
      { code: SOUTHWARK, name: 'Southwark' },
      { code: TOWER_HAMLETS, name: 'Tower Hamlets' },
    ]);
    expect(index.wards).toHaveLength(68);
    for (const ward of index.wards) expect(isWardCode(ward.code)).toBe(true);
  });

  it.each([
    // The three town halls.
    ['SW2 1RW', 'E05014095', 'Brixton Acre Lane', LAMBETH, 'Lambeth'],
    ['SE1 2QH', 'E05011104', 'London Bridge & West Bermondsey', SOUTHWARK, 'Southwark'],
    ['E1 1BJ', 'E05009336', 'Whitechapel', TOWER_HAMLETS, 'Tower Hamlets'],
    // Elsewhere in each borough.
    ['SW9 9SJ', 'E05014096', 'Brixton North', LAMBETH, 'Lambeth'],
    ['SW4 7AA', 'E05014100', 'Clapham East', LAMBETH, 'Lambeth'],
    ['SW8 1RL', 'E05014117', 'Vauxhall', LAMBETH, 'Lambeth'],
    ['SE17 1LB', 'E05011107', 'North Walworth', SOUTHWARK, 'Southwark'],
    ['SE16 2XU', 'E05011112', 'Rotherhithe', SOUTHWARK, 'Southwark'],
    ['E14 2BG', 'E05009328', 'Poplar', TOWER_HAMLETS, 'Tower Hamlets'],
    ['E14 5AB', 'E05009323', 'Canary Wharf', TOWER_HAMLETS, 'Tower Hamlets'],
    ['E3 2AA', 'E05009319', 'Bow East', TOWER_HAMLETS, 'Tower Hamlets'],
    // Outward codes that are not London's own: Mitcham (CR4) and the City (EC3N).
    ['CR4 1TL', 'E05014112', 'Streatham Common & Vale', LAMBETH, 'Lambeth'],
    ['EC3N 4AB', 'E05009330', "St Katharine's & Wapping", TOWER_HAMLETS, 'Tower Hamlets'],
    ['E1W 1AA', 'E05009330', "St Katharine's & Wapping", TOWER_HAMLETS, 'Tower Hamlets'],
  ])('%s is in %s (%s), %s', (input, wardCode, wardName, localAuthorityCode, localAuthorityName) => {
    expect(find(input)).toEqual({ postcode: normalisePostcode(input), wardCode, wardName, localAuthorityCode, localAuthorityName });
  });

  it('tells apart boroughs that share an outward code (SE1, SE5, SE11)', () => {
    expect(find('SE1 7EH')).toMatchObject({ wardName: 'Waterloo & South Bank', localAuthorityCode: LAMBETH });
    expect(find('SE1 9SG')).toMatchObject({ wardName: 'London Bridge & West Bermondsey', localAuthorityCode: SOUTHWARK });
    expect(find('SE5 9BW')).toMatchObject({ wardName: 'Brixton North', localAuthorityCode: LAMBETH });
    expect(find('SE5 0AB')).toMatchObject({ wardName: 'Camberwell Green', localAuthorityCode: SOUTHWARK });
    expect(find('SE11 4AA')).toMatchObject({ wardName: 'Kennington', localAuthorityCode: LAMBETH });
    expect(find('SE11 4AS')).toMatchObject({ wardName: 'Newington', localAuthorityCode: SOUTHWARK });
  });

  it('finds nothing for a postcode outside the three boroughs', () => {
    expect(find('SW1A 1AA')).toBeNull(); // Buckingham Palace, Westminster: outward code not in the index
    expect(find('E8 1EA')).toBeNull(); // Hackney Town Hall: E8 is in the index, this postcode is not
    expect(find('M1 1AE')).toBeNull();
  });

  it('finds nothing for a postcode that is not normalised', () => {
    expect(findPostcode(index, 'SW21RW')).toBeNull();
    expect(findPostcode(index, 'sw2 1rw')).toBeNull();
    expect(findPostcode(index, '')).toBeNull();
  });

  it('matches inward codes only on 3-character boundaries', () => {
    const packed: PostcodeIndex = {
      boroughs: [{ code: LAMBETH, name: 'Lambeth' }],
      wards: [{ code: 'E05014095', name: 'Brixton Acre Lane', borough: 0 }],
      postcodes: { SW2: { '0': '1RW2AB' } },
    };
    expect(findPostcode(packed, 'SW2 1RW')).toMatchObject({ wardCode: 'E05014095' });
    expect(findPostcode(packed, 'SW2 2AB')).toMatchObject({ wardCode: 'E05014095' });
    expect(findPostcode(packed, 'SW2 RW2')).toBeNull();
    expect(findPostcode(packed, 'SW2 W2A')).toBeNull();
    expect(findPostcode(packed, 'SW2 1RW2')).toBeNull();
  });

  it('finds nothing rather than a wrong place when the index is inconsistent', () => {
    const broken: PostcodeIndex = {
      boroughs: [],
      wards: [{ code: 'E05014095', name: 'Brixton Acre Lane', borough: 0 }],
      postcodes: { SW2: { '0': '1RW' }, SW9: { '7': '9SJ' } },
    };
    expect(findPostcode(broken, 'SW2 1RW')).toBeNull();
    expect(findPostcode(broken, 'SW9 9SJ')).toBeNull();
  });
});

describe('wardsOf', () => {
  const index = postcodeIndex();

  it.each([
    [LAMBETH, 25, 'Brixton Acre Lane', 'West Dulwich'],
    [SOUTHWARK, 23, 'Borough & Bankside', 'Surrey Docks'],
    [TOWER_HAMLETS, 20, 'Bethnal Green East', 'Whitechapel'],
  ])('lists the %s wards in name order', (code, count, first, last) => {
    const wards = wardsOf(index, code);
    expect(wards).toHaveLength(count);
    expect(wards[0]!.name).toBe(first);
    expect(wards.at(-1)!.name).toBe(last);
    const names = wards.map((w) => w.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en-GB')));
    for (const ward of wards) expect(Object.keys(ward).sort()).toEqual(['code', 'name']);
  });

  it('gives each borough only its own wards', () => {
    const all = [LAMBETH, SOUTHWARK, TOWER_HAMLETS].flatMap((code) => wardsOf(index, code).map((w) => w.code));
    expect(new Set(all).size).toBe(68);
    expect(wardsOf(index, LAMBETH).map((w) => w.code)).toContain('E05014095');
    expect(wardsOf(index, SOUTHWARK).map((w) => w.code)).not.toContain('E05014095');
  });

  it('lists nothing for an authority the index does not cover, or a ward code', () => {
    expect(wardsOf(index, 'E09000033')).toEqual([]);
    expect(wardsOf(index, 'E05014095')).toEqual([]);
    expect(wardsOf(index, '')).toEqual([]);
  });
});

// The published December 2025 ward list, where the shared standards data is checked out beside the repository.
const WARDS_CSV = new URL('../../../../shared/data/standards/geography/wards_lambeth-southwark-towerhamlets_dec-2025.csv', import.meta.url);

describe.skipIf(!fs.existsSync(WARDS_CSV))('the index against the ONS December 2025 ward list', () => {
  it('has exactly the published wards, each in its published borough', () => {
    const [header, ...lines] = fs.readFileSync(WARDS_CSV, 'utf8').trim().split(/\r?\n/);
    expect(header).toBe('WD25CD,WD25NM,LAD25CD,LAD25NM');
    const published = lines.map((line) => {
      const [code, name, la] = line.split(',') as [string, string, string];
      return `${code} ${name} ${la}`;
    });
    const index = postcodeIndex();
    const ours = index.wards.map((w) => `${w.code} ${w.name} ${index.boroughs[w.borough]!.code}`);
    expect(ours.sort()).toEqual(published.sort());
  });
});

import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pageFrom, paginationFor } from './pagination.ts';

describe('pageFrom', () => {
  it('is page 1 when no page is asked for', () => {
    expect(pageFrom(undefined)).toEqual({ page: 1, limit: PAGE_SIZE, offset: 0 });
    expect(pageFrom({})).toEqual({ page: 1, limit: PAGE_SIZE, offset: 0 });
  });

  it('reads the page and works out the offset', () => {
    expect(pageFrom({ page: '2' })).toEqual({ page: 2, limit: 25, offset: 25 });
    expect(pageFrom({ page: '10' })).toEqual({ page: 10, limit: 25, offset: 225 });
    expect(pageFrom({ page: 3 })).toEqual({ page: 3, limit: 25, offset: 50 });
  });

  it('uses the page size given', () => {
    expect(pageFrom({ page: '3' }, 10)).toEqual({ page: 3, limit: 10, offset: 20 });
  });

  it.each([['0'], ['-1'], ['1.5'], ['abc'], [''], ['NaN'], ['Infinity'], ['100001'], ['1e9'], [['2', '3']], [null], [{}]])(
    'falls back to page 1 for %j',
    (page) => {
      expect(pageFrom({ page })).toEqual({ page: 1, limit: 25, offset: 0 });
    },
  );

  it('allows pages up to 100,000', () => {
    expect(pageFrom({ page: '100000' }).page).toBe(100_000);
  });
});

describe('paginationFor', () => {
  it('is null when everything fits on one page', () => {
    expect(paginationFor('/services', {}, 1, 0)).toBeNull();
    expect(paginationFor('/services', {}, 1, 1)).toBeNull();
    expect(paginationFor('/services', {}, 1, 25)).toBeNull();
  });

  it('has two pages for 26 items', () => {
    const p = paginationFor('/services', {}, 1, 26)!;
    expect(p.items).toEqual([
      { number: 1, href: '/services?page=1', current: true },
      { number: 2, href: '/services?page=2', current: false },
    ]);
    expect(p.previous).toBeUndefined();
    expect(p.next).toEqual({ href: '/services?page=2' });
  });

  it('shows the first, last and neighbouring pages with ellipses between', () => {
    const p = paginationFor('/services', {}, 5, 250)!;
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number)))).toEqual(['1', '…', '4', '[5]', '6', '…', '10']);
    expect(p.previous).toEqual({ href: '/services?page=4' });
    expect(p.next).toEqual({ href: '/services?page=6' });
  });

  it('has no ellipsis where the gap is nothing', () => {
    const first = paginationFor('/s', {}, 1, 100)!;
    expect(first.items.map((i) => ('ellipsis' in i ? '…' : i.number))).toEqual([1, 2, '…', 4]);
    const third = paginationFor('/s', {}, 3, 100)!;
    expect(third.items.map((i) => ('ellipsis' in i ? '…' : i.number))).toEqual([1, 2, 3, 4]);
    const last = paginationFor('/s', {}, 10, 250)!;
    expect(last.items.map((i) => ('ellipsis' in i ? '…' : i.number))).toEqual([1, '…', 9, 10]);
    expect(last.next).toBeUndefined();
  });

  it('marks exactly one page as current', () => {
    const p = paginationFor('/s', {}, 7, 1000)!;
    const current = p.items.filter((i) => 'current' in i && i.current);
    expect(current).toEqual([{ number: 7, href: '/s?page=7', current: true }]);
  });

  it('keeps the other query parameters, encoded, and replaces the page', () => {
    const p = paginationFor('/organisations', { q: 'Brixton & Co', type: 'charity', page: '2', empty: '', list: ['a', 'b'] }, 2, 60)!;
    expect(p.previous).toEqual({ href: '/organisations?q=Brixton+%26+Co&type=charity&page=1' });
    expect(p.next).toEqual({ href: '/organisations?q=Brixton+%26+Co&type=charity&page=3' });
  });

  it('uses the page size given', () => {
    expect(paginationFor('/s', {}, 1, 20, 10)!.items).toHaveLength(2);
    expect(paginationFor('/s', {}, 1, 20, 20)).toBeNull();
  });
});

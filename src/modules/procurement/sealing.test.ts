import { describe, expect, it } from 'vitest';
import { BidSeal, SealedBeforeDeadlineError } from './sealing.ts';

describe('sealed bids in lots', () => {
  const seal = new BidSeal('a test secret of enough length for hkdf');
  const closed = new Date('2026-03-31T11:00:00Z');
  const after = new Date('2026-03-31T11:00:01Z');

  it('opens a bid only in its own tender and lot, and only after the deadline', () => {
    const sealed = seal.seal('tender-1', 'lot-a', { pricePence: 100 });
    expect(seal.openSealed('tender-1', 'lot-a', closed, after, sealed)).toEqual({ pricePence: 100 });
    expect(() => seal.openSealed('tender-1', 'lot-b', closed, after, sealed)).toThrow();
    expect(() => seal.openSealed('tender-1', null, closed, after, sealed)).toThrow();
    expect(() => seal.openSealed('tender-2', 'lot-a', closed, after, sealed)).toThrow();
    expect(() => seal.openSealed('tender-1', 'lot-a', closed, new Date('2026-03-31T10:59:59Z'), sealed)).toThrow(SealedBeforeDeadlineError);
  });

  it('opens a bid for a tender without lots as before', () => {
    const sealed = seal.seal('tender-1', null, { pricePence: 5 });
    expect(seal.openSealed('tender-1', null, closed, after, sealed)).toEqual({ pricePence: 5 });
    expect(() => seal.openSealed('tender-1', 'lot-a', closed, after, sealed)).toThrow();
  });
});

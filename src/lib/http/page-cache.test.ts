import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.ts';

const NONCE_A = 'a'.repeat(8) + '0123456789abcdef0123';
const NONCE_B = 'b'.repeat(8) + 'fedcba9876543210fedc';
const page = (nonce: string, body = 'hello') => `<script nonce="${nonce}">x</script><p>${body}</p><script nonce="${nonce}">y</script>`;

describe('PageCache', () => {
  it('serves a kept page with every occurrence of its nonce replaced by the new one', () => {
    const cache = new PageCache({ maxEntries: 10, maxChars: 10_000, ttlMs: 60_000 });
    cache.set('k', page(NONCE_A), NONCE_A);
    expect(cache.get('k', NONCE_B)).toBe(page(NONCE_B));
    expect(cache.get('other', NONCE_B)).toBeUndefined();
  });

  it('forgets a page once its time is up', () => {
    let now = 1_000;
    const cache = new PageCache({ maxEntries: 10, maxChars: 10_000, ttlMs: 500, now: () => now });
    cache.set('k', page(NONCE_A), NONCE_A);
    now = 1_499;
    expect(cache.get('k', NONCE_B)).toBe(page(NONCE_B));
    now = 1_500;
    expect(cache.get('k', NONCE_B)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.totalChars).toBe(0);
  });

  it('drops the least recently used page when it holds too many', () => {
    const cache = new PageCache({ maxEntries: 2, maxChars: 10_000, ttlMs: 60_000 });
    cache.set('one', page(NONCE_A, '1'), NONCE_A);
    cache.set('two', page(NONCE_A, '2'), NONCE_A);
    cache.get('one', NONCE_B); // one is now more recent than two
    cache.set('three', page(NONCE_A, '3'), NONCE_A);
    expect(cache.get('two', NONCE_B)).toBeUndefined();
    expect(cache.get('one', NONCE_B)).toBe(page(NONCE_B, '1'));
    expect(cache.get('three', NONCE_B)).toBe(page(NONCE_B, '3'));
  });

  it('keeps its total size within budget, counting a replaced page once', () => {
    const one = page(NONCE_A, '1');
    const cache = new PageCache({ maxEntries: 100, maxChars: one.length * 2, ttlMs: 60_000 });
    cache.set('one', one, NONCE_A);
    cache.set('one', one, NONCE_A);
    expect(cache.totalChars).toBe(one.length);
    cache.set('two', page(NONCE_A, '2'), NONCE_A);
    cache.set('three', page(NONCE_A, '3'), NONCE_A);
    expect(cache.size).toBe(2);
    expect(cache.totalChars).toBe(one.length * 2);
    expect(cache.get('one', NONCE_B)).toBeUndefined();
  });

  it('refuses a page larger than its whole budget, and a nonce too short to replace safely', () => {
    const cache = new PageCache({ maxEntries: 10, maxChars: 20, ttlMs: 60_000 });
    cache.set('big', page(NONCE_A), NONCE_A);
    expect(cache.size).toBe(0);
    const roomy = new PageCache({ maxEntries: 10, maxChars: 10_000, ttlMs: 60_000 });
    roomy.set('short', page('p'), 'p');
    expect(roomy.size).toBe(0);
  });
});

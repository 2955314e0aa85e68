/**
 * Rendered public pages, kept for visitors who are not signed in.
 *
 * Rendering a GOV.UK page costs milliseconds of CPU (Nunjucks macros) while serving a
 * stored one costs microseconds, so the busiest public pages (the service catalogue)
 * are kept here. A page is stored under a key that includes its authority's audit
 * sequence number: every change to an authority writes an audit entry in the same
 * transaction, so any change makes every stored page of that authority unreachable —
 * in every process, since the number is read from the database with the authority.
 * The time limit bounds what no audited change can signal (the passing of a date).
 *
 * Each response must carry its own CSP nonce, so the nonce a page was rendered with
 * is stored beside it and swapped for the new one on the way out.
 */

export interface PageCacheOptions {
  /** Most pages kept (least recently used go first). */
  maxEntries: number;
  /** Most characters kept, all pages together. */
  maxChars: number;
  /** How long a page may be served after it was rendered, in milliseconds. */
  ttlMs: number;
  now?: () => number;
}

interface StoredPage {
  html: string;
  nonce: string;
  storedAt: number;
}

export class PageCache {
  private readonly pages = new Map<string, StoredPage>();
  private chars = 0;
  private readonly options: PageCacheOptions;
  private readonly now: () => number;

  constructor(options: PageCacheOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** The page under `key`, its nonce replaced by `nonce`; undefined when absent or too old. */
  get(key: string, nonce: string): string | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    this.pages.delete(key);
    if (this.now() - page.storedAt >= this.options.ttlMs) {
      this.chars -= page.html.length;
      return undefined;
    }
    this.pages.set(key, page); // most recently used goes to the end
    return page.html.replaceAll(page.nonce, nonce);
  }

  /** Keep `html`, rendered with CSP nonce `nonce`. A page larger than the whole budget is not kept. */
  set(key: string, html: string, nonce: string): void {
    if (html.length > this.options.maxChars || nonce.length < 16) return;
    const old = this.pages.get(key);
    if (old) {
      this.pages.delete(key);
      this.chars -= old.html.length;
    }
    this.pages.set(key, { html, nonce, storedAt: this.now() });
    this.chars += html.length;
    for (const [oldest, page] of this.pages) {
      if (this.pages.size <= this.options.maxEntries && this.chars <= this.options.maxChars) break;
      this.pages.delete(oldest);
      this.chars -= page.html.length;
    }
  }

  get size(): number {
    return this.pages.size;
  }

  get totalChars(): number {
    return this.chars;
  }
}

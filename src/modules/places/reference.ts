import fs from 'node:fs';
import type { PostcodeIndex } from './rules.ts';

const INDEX_FILE = new URL('../../../reference-data/geography/postcode-ward-index.json', import.meta.url);

let cached: PostcodeIndex | undefined;

/** The ONSPD postcode → ward index, read once (64 KB) on first use. */
export function postcodeIndex(): PostcodeIndex {
  cached ??= JSON.parse(fs.readFileSync(INDEX_FILE, 'utf8')) as PostcodeIndex;
  return cached;
}

/**
 * How fast the counter-fraud checks run over a million rows: 1,000,000
 * generated expenditure rows (20,000 suppliers, a few paid very often, over two
 * financial years, some withheld names, credits) and 1,000,000 procurement
 * card rows, with planted duplicates and split purchases that must be found.
 *
 *   node --import tsx bench/counter-fraud.ts              # 1,000,000 rows of each
 *   node --import tsx bench/counter-fraud.ts --rows=200000
 *
 * Times are wall clock and CPU time of this process (the machine is shared).
 */
import os from 'node:os';
import type { CardRow, SpendRow } from '../src/modules/transparency/read.ts';
import { cardRoundSumFlags, duplicatePaymentFlags, noContractFlags, outOfHoursFlags, outOfPatternFlags, PaymentSet, roundSumFlags, runChecks, splitPurchaseFlags, unusualMerchantFlags, type Flag } from '../src/modules/transparency/checks.ts';
import { DEFAULT_SETTINGS } from '../src/modules/transparency/settings.ts';
import { payeeOf, proposeMerges } from '../src/modules/transparency/suppliers.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(arg('rows') ?? 1_000_000);
const SUPPLIERS = 20_000;
const PLANTED = 50;

/** A deterministic stream of numbers in [0, 1) (mulberry32, in 32-bit integer arithmetic), so every run checks the same rows. */
function random(seed = 20261201): () => number {
  let x = seed | 0;
  return () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random();
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

const FIRST = ['Acme', 'Northern', 'Riverside', 'Oak', 'Bright', 'Crown', 'Meadow', 'Castle', 'Phoenix', 'Summit', 'Harbour', 'Willow', 'Granite', 'Beacon', 'Elm', 'Swift'];
const SECOND = ['Care', 'Construction', 'Transport', 'Consulting', 'Catering', 'Cleaning', 'Supplies', 'Taxis', 'Fostering', 'Homes', 'Print', 'Legal', 'Security', 'Training', 'Roofing'];
const FORMS = ['Ltd', 'Limited', 'LTD', 'Ltd.', 'CIC', 'Community Association', 'Trust', 'PLC', ''];
const AREAS = ['Adult Social Care', 'Children’s Services', 'Highways', 'Housing', 'Resources'];
const MERCHANTS = ['Amazon.co.uk', 'Tesco Stores', 'Trainline.com', 'Screwfix', 'Premier Inn', 'Royal Mail', 'Zoom.us', 'Currys', 'Ladbrokes', 'Love2shop'];
const CATEGORIES = ['Book Stores', 'Grocery Stores', 'Passenger Railways', 'Hardware Stores', 'Hotels', 'Postal Services', 'Computer Software', 'Electronics', 'Betting and gambling', 'Gift cards'];
const DAY0 = Date.UTC(2024, 3, 1);
const DAYS = 730;
const dateOf = (day: number) => new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);

/** Each supplier has a name, a usual amount and how often it is paid (a few are paid weekly, most a handful of times). */
const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => ({
  name: `${pick(FIRST)} ${pick(SECOND)} ${i} ${pick(FORMS)}`.trim(),
  usualPence: Math.round(50_000 * Math.exp(next() * 4)), // £500 to about £27,000
  weight: 1 / (1 + (i % 1000)),
}));
const cumulative: number[] = [];
suppliers.reduce((sum, s, i) => (cumulative[i] = sum + s.weight), 0);
const totalWeight = cumulative.at(-1)!;
function pickSupplier(): (typeof suppliers)[number] {
  const target = next() * totalWeight;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return suppliers[lo]!;
}

function spendRow(line: number, date: string, supplier: string | null, amountPence: number, more: Partial<SpendRow> = {}): SpendRow {
  return {
    dataset: 'spend-over-500', line, date, supplier, redacted: supplier === null, amountPence, expenseType: 'Payments to Private Contractors', serviceArea: pick(AREAS), description: null,
    transactionRef: `T${line}`, invoiceRef: `INV${line}`, supplierId: null, expenseCode: null, vatRegistration: null, irrecoverableVatPence: null, merchantCategory: null, ...more,
  };
}

function generateSpend(rows: number): SpendRow[] {
  const out: SpendRow[] = [];
  for (let line = 2; out.length < rows - 4 * PLANTED; line++) {
    const day = Math.floor(next() * DAYS);
    const r = next();
    if (r < 0.02) out.push(spendRow(line, dateOf(day), null, 50_000 + Math.floor(next() * 200_000), { supplierId: `P${Math.floor(next() * 5000)}` }));
    else {
      const s = pickSupplier();
      // Mostly near the usual amount; a few round thousands and a very few ten times the usual.
      const usual = Math.max(50_000, Math.round(s.usualPence * (0.5 + next())));
      const amount = r < 0.035 ? Math.ceil(usual / 100_000) * 100_000 : r < 0.036 ? usual * 10 : usual;
      out.push(spendRow(line, dateOf(day), s.name, r < 0.03 ? -amount : amount));
    }
  }
  // Planted: the same invoice paid twice months apart, and two payments just under £5,000 a week apart.
  let line = 10_000_000;
  for (let i = 0; i < PLANTED; i++) {
    const name = `Planted Duplicate ${i} Ltd`;
    out.push(spendRow(line++, dateOf(10 + i), name, 123_456, { invoiceRef: `DUP${i}` }), spendRow(line++, dateOf(200 + i), name, 123_456, { invoiceRef: `DUP${i}` }));
    const splitter = `Planted Split ${i} Ltd`;
    out.push(spendRow(line++, dateOf(300 + i), splitter, 480_000 + i), spendRow(line++, dateOf(307 + i), splitter, 470_000 + i));
  }
  return out;
}

function generateCards(rows: number): CardRow[] {
  const out: CardRow[] = [];
  for (let i = 0; i < rows; i++) {
    const m = Math.floor(next() * MERCHANTS.length);
    out.push({
      dataset: 'procurement-card', line: i + 2, date: dateOf(Math.floor(next() * DAYS)), merchant: MERCHANTS[m]!, redacted: false,
      amountPence: next() < 0.02 ? -Math.round(next() * 10_000) : Math.round(next() * 40_000), merchantCategory: next() < 0.5 ? CATEGORIES[m]! : null,
      purpose: null, serviceArea: pick(AREAS), description: null, transactionRef: `C${i}`, irrecoverableVatPence: null,
    });
  }
  return out;
}

function timed<T>(work: () => T): { result: T; wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = work();
  const used = process.cpuUsage(cpu);
  return { result, wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

const generated = timed(() => ({ spend: generateSpend(ROWS), cards: generateCards(ROWS) }));
const { spend, cards } = generated.result;
console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`);
console.log(`Generated ${spend.length.toLocaleString('en-GB')} spend rows and ${cards.length.toLocaleString('en-GB')} card rows in ${generated.wall.toFixed(1)} s`);

const contracted = new Set(suppliers.filter((_, i) => i % 2 === 0).map((s) => `name:${s.name}`));
const row = (name: string, rows: number, flags: string, t: { wall: number; cpu: number }) => console.log(`| ${name} | ${rows.toLocaleString('en-GB')} | ${flags} | ${t.wall.toFixed(2)} | ${t.cpu.toFixed(2)} |`);

console.log('| step | rows | flags | wall (s) | CPU (s) |');
console.log('|---|--:|--:|--:|--:|');
const spendSet = timed(() => new PaymentSet(spend));
row('read spend rows into payments (keys, day numbers)', spend.length, '', spendSet);
const grouped = timed(() => spendSet.result.paidBySupplier.size);
row(`group by supplier and sort by date (${grouped.result.toLocaleString('en-GB')} suppliers)`, spend.length, '', grouped);
const cardSet = timed(() => new PaymentSet(cards));
row('read card rows into payments', cards.length, '', cardSet);

const CHECKS: [string, PaymentSet, (set: PaymentSet) => Flag[]][] = [
  ['duplicate payments', spendSet.result, (set) => duplicatePaymentFlags(set, DEFAULT_SETTINGS)],
  ['split purchases', spendSet.result, (set) => splitPurchaseFlags(set, DEFAULT_SETTINGS)],
  ['spend without a contract', spendSet.result, (set) => noContractFlags(set, contracted, DEFAULT_SETTINGS)],
  ['round sums', spendSet.result, (set) => roundSumFlags(set, DEFAULT_SETTINGS)],
  ['out of pattern', spendSet.result, (set) => outOfPatternFlags(set, DEFAULT_SETTINGS)],
  ['card merchant categories', cardSet.result, (set) => unusualMerchantFlags(set, DEFAULT_SETTINGS)],
  ['card weekends and bank holidays', cardSet.result, (set) => outOfHoursFlags(set, DEFAULT_SETTINGS)],
  ['card round sums', cardSet.result, (set) => cardRoundSumFlags(set, DEFAULT_SETTINGS)],
];
let totalWall = spendSet.wall + grouped.wall + cardSet.wall;
let totalCpu = spendSet.cpu + grouped.cpu + cardSet.cpu;
const found = new Map<string, Flag[]>();
for (const [name, set, check] of CHECKS) {
  const t = timed(() => check(set));
  found.set(name, t.result);
  totalWall += t.wall;
  totalCpu += t.cpu;
  row(name, set.all.length, t.result.length.toLocaleString('en-GB'), t);
}
console.log(`| **reading, grouping and all eight checks** | | | **${totalWall.toFixed(2)}** | **${totalCpu.toFixed(2)}** |`);
const all = timed(() => runChecks([...spend, ...cards], { contracted }));
row('runChecks over both at once, suppliers resolved through registration numbers', spend.length + cards.length, all.result.length.toLocaleString('en-GB'), all);
const merges = timed(() => proposeMerges(spend.map((r) => payeeOf(r)!)));
row('proposeMerges over the spend rows’ payees', spend.length, `${merges.result.length.toLocaleString('en-GB')} proposals`, merges);

// The planted rows must all be found, or the speed means nothing.
const flaggedLines = (name: string, pattern: RegExp) => new Set(found.get(name)!.filter((f) => pattern.test(f.explanation)).flatMap((f) => f.lines));
const duplicates = flaggedLines('duplicate payments', /Planted Duplicate/);
const splits = flaggedLines('split purchases', /Planted Split/);
console.log(`Planted found: ${duplicates.size}/${2 * PLANTED} duplicate rows, ${splits.size}/${2 * PLANTED} split rows`);
if (duplicates.size !== 2 * PLANTED || splits.size !== 2 * PLANTED) process.exitCode = 1;

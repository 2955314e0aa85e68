/**
 * Taking in councils' Transparency Code files: read as they really are (see read.ts), then
 * written in one transaction with the import's record and its audit entry, so a file is in
 * whole or not at all — a process killed part-way leaves nothing behind — and the same file
 * a second time changes nothing.
 *
 * The counter-fraud checks follow in a second transaction, with their flags and their own audit
 * entry. On a million rows they take longer than the import itself, and nothing in the rows
 * depends on them, so residents and officers get the rows without waiting for them and the
 * import's transaction is held half as long. An import whose checks were cut off (the process
 * stopped between the two) is marked unchecked, and they are run again, from its saved rows,
 * when the same file comes again or the platform next starts (checkUnfinished).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../lib/db/client.ts';
import { addDays, dayNumber } from '../../lib/dates.ts';
import { isUniqueViolation } from '../../lib/db/client.ts';
import { copyData, copyRows } from '../../lib/db/copy.ts';
import type { CopyChunk, CopyValue } from '../../lib/db/copy-format.ts';
import { ImportJobs, type ImportJob } from './import-jobs.ts';
import { recordAudit, type Actor } from '../../lib/audit/audit.ts';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { MoneyFormatError, parsePounds } from '../../lib/money.ts';
import type { Flag } from './checks.ts';
import type { EarlierPayment } from './check-earlier-files.ts';
import { figuresOf, fileFlags, type CheckAnswer, type CheckQuestion, type CopyMessage, type FileFigures } from './check-worker.ts';
import { portMessages, startWorker, type WorkerSession } from '../../lib/worker.ts';
import { paymentCopyData, paymentOfStored, TRANSACTION_COLUMNS } from './payment-copy.ts';
import { payeeName, supplierKey, type SupplierKind } from './suppliers.ts';
import type { ResolvedSupplier, SuppliersService } from './supplier-service.ts';
import { newId } from '../../lib/ids.ts';
import { landAssets, publisherMappings, spendFlags, spendImports, spendTransactions, vcseGrants } from './tables.ts';
import { fileLayout, readTransparencyFile, type FileLayout, type ReadOptions, type TransparencyFile, type TypedRow } from './read.ts';
import { DATASETS, type Dataset } from './fields.ts';
import type { ColumnMapping } from './layout.ts';
import { percentOf } from '../../lib/percent.ts';

export type SpendImport = typeof spendImports.$inferSelect;

/** What an import did, in the shape the CLI's --json prints (total in pounds, credits negative). */
export interface ImportReport {
  importId: string;
  /** True when this very file had been imported before: nothing was written this time. */
  alreadyImported: boolean;
  dataset: Dataset;
  rows: number;
  rejected: number;
  credits: number;
  totalPence: number;
  from: string | null;
  to: string | null;
  warnings: string[];
  errors: { line: number; reason: string }[];
}

export interface ImportInput {
  fileName: string;
  bytes: Uint8Array;
  /** Who published the file; defaults to the authority itself. Mappings are remembered per publisher. */
  publisher?: string;
  dataset?: Dataset;
  /** A mapping the officer confirmed; otherwise the publisher's saved one, otherwise detected. */
  mapping?: ColumnMapping;
  /** Told when the rows have been saved, before the checks run. */
  onImported?: () => void;
  /** Told after each batch of rows is written: for a progress bar. */
  onProgress?: (written: number, total: number) => void;
  /** Told how long each step took, in milliseconds: for the benchmark. */
  onStep?: (step: ImportStep, ms: number) => void;
}

/**
 * The steps of an import that `onStep` times: reading before the import's transaction, writing
 * rows in it, then the checks' two in theirs. A big payments file's rows are read as they are
 * written, so its 'read' only settles its layout.
 */
export type ImportStep = 'read' | 'write rows' | 'checks' | 'write flags';

/**
 * From this size (about 10,000 rows) a file's checks run on a worker thread. The worker takes
 * about 0.4 s to start, which a smaller file's checks take less than; files twice this size are
 * imported in the background anyway (routes.ts), where nobody waits on it.
 */
const WORKER_BYTES = 1_000_000;
const CHECK_WORKER = new URL('./check-worker.ts', import.meta.url);
type ImportWorker = WorkerSession<CheckQuestion, CheckAnswer>;

/** Rows per ordinary multi-row insert: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROW_BATCH = 1_000;

/** The kinds of supplier in residents' words. */
export const SUPPLIER_KIND_NAMES: Record<SupplierKind, string> = {
  vcs: 'Voluntary and community sector',
  'social-enterprise': 'Social enterprises',
  sme: 'Small and medium businesses (possible)',
  'public-body': 'Public bodies',
  individual: 'Individuals (names withheld)',
  unknown: 'Not known',
};

/** A date's quarter as '2024-Q1', or 'undated'. */
const QUARTER = (column: unknown) => sql<string>`coalesce(to_char(${column}, 'YYYY') || '-Q' || to_char(${column}, 'Q'), 'undated')`;

export class TransparencyService {
  private readonly db: Db;
  private readonly suppliers: SuppliersService;
  private readonly jobs = new ImportJobs();

  constructor(db: Db, deps: { suppliers: SuppliersService }) {
    this.db = db;
    this.suppliers = deps.suppliers;
  }

  /** Import a big file after answering: the officer follows the returned job (see import-jobs.ts). */
  startImport(actor: Actor, authorityId: string, authorityName: string, input: Omit<ImportInput, 'onProgress' | 'onImported'> & { rows: number }, onError: (err: unknown) => void): ImportJob {
    return this.jobs.start(authorityId, input.fileName, input.rows, (onProgress, onImported) => this.importFile(actor, authorityId, authorityName, { ...input, onProgress, onImported }), onError);
  }

  importJob(authorityId: string, id: string): ImportJob | null {
    return this.jobs.get(authorityId, id);
  }

  /** Read a file without writing anything: the detected dataset and mapping, and what would be taken. */
  async preview(authorityId: string, input: Omit<ImportInput, 'onProgress'>): Promise<TransparencyFile> {
    return this.read(authorityId, input, (options) => readTransparencyFile(input.bytes, options));
  }

  async importFile(actor: Actor, authorityId: string, authorityName: string, input: ImportInput): Promise<ImportReport> {
    // A big file gets a worker, which starts while the file's hash and layout are worked out here.
    const worker = input.bytes.length >= WORKER_BYTES ? startWorker<CheckQuestion, CheckAnswer>(CHECK_WORKER) : null;
    try {
      const sha = createHash('sha256').update(input.bytes).digest('hex');
      const earlier = await this.importBySha(authorityId, sha);
      if (!earlier) return await this.importNew(actor, authorityId, authorityName, input, sha, worker);
      if (earlier.checkedAt === null) await this.checkStored(actor, earlier);
      return reportOf(earlier, true);
    } finally {
      await worker?.end();
    }
  }

  private async importNew(actor: Actor, authorityId: string, authorityName: string, input: ImportInput, sha: string, worker: ImportWorker | null): Promise<ImportReport> {
    const timed = async <T>(step: ImportStep, run: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      const result = await run();
      input.onStep?.(step, performance.now() - start);
      return result;
    };
    const { write, check } = await timed('read', () => this.fileToImport(authorityId, { ...input, publisher: input.publisher || authorityName }, worker));
    const publisher = (input.publisher || authorityName).slice(0, 200);
    let record: SpendImport;
    try {
      record = await this.db.transaction(async (tx) => {
        const id = newId();
        const importedAt = new Date();
        const recordOf = (file: FileFigures): SpendImport => ({
          id,
          authorityId,
          dataset: file.dataset,
          publisher,
          fileName: input.fileName.slice(0, 300),
          fileSha256: sha,
          encoding: file.encoding,
          mapping: file.mapping,
          rows: file.rowCount,
          rejected: file.rejected.length,
          credits: file.credits,
          totalPence: file.totalPence,
          fromDate: file.from,
          toDate: file.to,
          warnings: file.warnings,
          errors: file.rejected,
          importedByUserId: actor.userId,
          importedAt,
          checkedAt: null,
        });
        const save = async (figures: FileFigures) => void (await tx.insert(spendImports).values(recordOf(figures)));
        const file = await timed('write rows', () => write(tx, authorityId, id, save, input.onProgress));
        const record = recordOf(file);
        await tx
          .insert(publisherMappings)
          .values({ id: newId(), authorityId, publisher, dataset: file.dataset, mapping: file.mapping, updatedAt: new Date() })
          .onConflictDoUpdate({ target: [publisherMappings.authorityId, publisherMappings.publisher, publisherMappings.dataset], set: { mapping: file.mapping, updatedAt: new Date() } });
        // The log keeps what was imported and its figures; the rows themselves are in their tables.
        const summary = { dataset: record.dataset, publisher, fileName: record.fileName, fileSha256: sha, rows: record.rows, rejected: record.rejected, credits: record.credits, totalPence: record.totalPence, from: record.fromDate, to: record.toDate };
        await recordAudit(tx, actor, { authorityId, action: 'spend.import', entityType: 'spend-import', entityId: record.id, after: summary });
        return record;
      });
    } catch (err) {
      // The same file sent twice at once: one import wins, the other finds it done.
      if (!isUniqueViolation(err, 'spend_imports_file')) throw err;
      return reportOf((await this.importBySha(authorityId, sha))!, true);
    }
    input.onImported?.();
    await this.check(actor, record, check, timed);
    return reportOf(record, false);
  }

  /**
   * The counter-fraud checks of one import, with its flags and an audit entry, in one
   * transaction; `flagsOf` checks its rows against the earlier payments it is given. Run once:
   * an import already checked (by a run racing this one) is left as it is.
   */
  private async check(actor: Actor, record: SpendImport, flagsOf: (earlier: EarlierPayment[]) => Promise<Flag[]>, timed: <T>(step: ImportStep, run: () => Promise<T>) => Promise<T> = (_step, run) => run()): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [current] = await tx.select({ checkedAt: spendImports.checkedAt }).from(spendImports).where(eq(spendImports.id, record.id)).for('update');
      if (!current || current.checkedAt !== null) return;
      const earlier = await earlierPayments(tx, record);
      const found = await timed('checks', () => flagsOf(earlier));
      const checkedAt = new Date();
      await timed('write flags', () => copyRows(tx, 'spend_flags', FLAG_COLUMNS, found, (f) => flagFields(f, record.authorityId, record.id, checkedAt)));
      await tx.update(spendImports).set({ checkedAt }).where(eq(spendImports.id, record.id));
      await recordAudit(tx, actor, { authorityId: record.authorityId, action: 'spend.check', entityType: 'spend-import', entityId: record.id, after: { fileName: record.fileName, flags: found.length } });
    });
  }

  /** The checks of an import that was cut off before them, run on its rows as saved. */
  private async checkStored(actor: Actor, record: SpendImport): Promise<void> {
    const rows = await storedPayments(this.db, record);
    await this.check(actor, record, async (earlier) => fileFlags(rows, earlier));
  }

  /**
   * Finish the checks of every import whose checks were cut off (the process stopped after its
   * rows were saved): the platform does this when it starts, for every authority. Returns how many were checked.
   */
  async checkUnfinished(actor: Actor, authorityId?: string): Promise<number> {
    const unchecked = await this.db
      .select()
      .from(spendImports)
      .where(and(isNull(spendImports.checkedAt), authorityId === undefined ? undefined : eq(spendImports.authorityId, authorityId)))
      .orderBy(asc(spendImports.importedAt));
    for (const record of unchecked) await this.checkStored(actor, record);
    return unchecked.length;
  }

  /** The quarters each published dataset has rows for, with their count and net total. */
  async quarters(authorityId: string): Promise<{ dataset: Dataset; quarter: string; rows: number; totalPence: number }[]> {
    const spend = await this.db
      .select({ dataset: spendTransactions.dataset, quarter: QUARTER(spendTransactions.paidOn), rows: sql<number>`count(*)`.mapWith(Number), totalPence: sql<number>`sum(${spendTransactions.amountPence})`.mapWith(Number) })
      .from(spendTransactions)
      .where(eq(spendTransactions.authorityId, authorityId))
      .groupBy(spendTransactions.dataset, QUARTER(spendTransactions.paidOn));
    const grants = await this.db
      .select({ quarter: QUARTER(vcseGrants.awardedOn), rows: sql<number>`count(*)`.mapWith(Number), totalPence: sql<number>`sum(${vcseGrants.amountPence})`.mapWith(Number) })
      .from(vcseGrants)
      .where(eq(vcseGrants.authorityId, authorityId))
      .groupBy(QUARTER(vcseGrants.awardedOn));
    return [...spend.map((r) => ({ ...r, dataset: r.dataset as Dataset })), ...grants.map((r) => ({ ...r, dataset: 'grants-vcse' as const }))].sort((a, b) => a.dataset.localeCompare(b.dataset) || b.quarter.localeCompare(a.quarter));
  }

  /** Payments or card transactions of one quarter ('undated' for rows the file gave no date), in date order. */
  async transactionsIn(authorityId: string, dataset: 'spend-over-500' | 'procurement-card', quarter: string) {
    return this.db
      .select()
      .from(spendTransactions)
      .where(and(eq(spendTransactions.authorityId, authorityId), eq(spendTransactions.dataset, dataset), sql`${QUARTER(spendTransactions.paidOn)} = ${quarter}`))
      .orderBy(asc(spendTransactions.paidOn), asc(spendTransactions.importId), asc(spendTransactions.line));
  }

  async grantsIn(authorityId: string, quarter: string) {
    return this.db.select().from(vcseGrants).where(and(eq(vcseGrants.authorityId, authorityId), sql`${QUARTER(vcseGrants.awardedOn)} = ${quarter}`)).orderBy(asc(vcseGrants.awardedOn), asc(vcseGrants.line));
  }

  /**
   * Where the money went, for the dashboards: by service area, by month, the largest suppliers
   * (never individuals) and the share by kind of supplier — suppliers as officers have merged
   * and linked them (supplier-service.ts).
   */
  async dashboard(authorityId: string, dataset: 'spend-over-500' | 'procurement-card') {
    const where = and(eq(spendTransactions.authorityId, authorityId), eq(spendTransactions.dataset, dataset));
    const total = sql<number>`sum(${spendTransactions.amountPence})`.mapWith(Number);
    const [byServiceArea, byMonth, suppliers] = await Promise.all([
      this.db.select({ label: sql<string>`coalesce(${spendTransactions.serviceArea}, 'Not given')`, totalPence: total }).from(spendTransactions).where(where).groupBy(sql`1`).orderBy(desc(total)).limit(12),
      this.db.select({ label: sql<string>`to_char(${spendTransactions.paidOn}, 'YYYY-MM')`, totalPence: total }).from(spendTransactions).where(and(where, sql`${spendTransactions.paidOn} is not null`)).groupBy(sql`1`).orderBy(sql`1`),
      this.suppliers.resolved(authorityId, dataset),
    ]);
    const topSuppliers = suppliers.filter((s) => s.kind.kind !== 'individual' && s.name !== '').slice(0, 10).map((s) => ({ label: s.name, totalPence: s.totalPence }));
    return { byServiceArea, topSuppliers, byMonth, bySupplierType: shareByKind(suppliers) };
  }

  /** The published payments a reference names (transaction or invoice number): how a funded project shows what paid for it. */
  async paymentsByReference(authorityId: string, reference: string) {
    const ref = reference.trim();
    if (!ref) return [];
    return this.db
      .select({ paidOn: spendTransactions.paidOn, supplierName: spendTransactions.supplierName, redacted: spendTransactions.redacted, amountPence: spendTransactions.amountPence, serviceArea: spendTransactions.serviceArea })
      .from(spendTransactions)
      .where(and(eq(spendTransactions.authorityId, authorityId), sql`(${spendTransactions.transactionRef} = ${ref} or ${spendTransactions.invoiceRef} = ${ref})`))
      .orderBy(asc(spendTransactions.paidOn))
      .limit(20);
  }

  /** Warning signs, most serious first: open ones, or those already settled. */
  async listFlags(authorityId: string, options: { open: boolean; limit?: number }) {
    const rows = await this.db
      .select({ flag: spendFlags, fileName: spendImports.fileName })
      .from(spendFlags)
      .innerJoin(spendImports, eq(spendImports.id, spendFlags.importId))
      .where(and(eq(spendFlags.authorityId, authorityId), options.open ? eq(spendFlags.status, 'open') : sql`${spendFlags.status} <> 'open'`))
      .orderBy(sql`case ${spendFlags.severity} when 'high' then 0 when 'medium' then 1 else 2 end`, desc(spendFlags.amountPence))
      .limit(options.limit ?? 200);
    return rows.map((r) => ({ ...r.flag, fileName: r.fileName }));
  }

  /** How many are open, and what has been recovered so far. */
  async flagTotals(authorityId: string) {
    const [row] = await this.db
      .select({ open: sql<number>`count(*) filter (where ${spendFlags.status} = 'open')`.mapWith(Number), recoveredPence: sql<number>`coalesce(sum(${spendFlags.recoveredPence}), 0)`.mapWith(Number), settled: sql<number>`count(*) filter (where ${spendFlags.status} <> 'open')`.mapWith(Number) })
      .from(spendFlags)
      .where(eq(spendFlags.authorityId, authorityId));
    return row!;
  }

  /** A flag with the rows behind it. */
  async getFlag(authorityId: string, id: string) {
    const [flag] = await this.db.select().from(spendFlags).where(and(eq(spendFlags.authorityId, authorityId), eq(spendFlags.id, id)));
    if (!flag) throw new NotFoundError('No such flag');
    const rows = flag.lines.length ? await this.db.select().from(spendTransactions).where(and(eq(spendTransactions.importId, flag.importId), inArray(spendTransactions.line, flag.lines))).orderBy(asc(spendTransactions.line)) : [];
    return { flag, rows };
  }

  /** An officer settles a flag: resolved, recovered (with the amount) or a false positive, always saying why. */
  async settleFlag(actor: Actor, authorityId: string, id: string, raw: Record<string, unknown>): Promise<void> {
    const check = new FieldChecker();
    const status = text(raw.status);
    check.check(['resolved', 'recovered', 'false_positive'].includes(status), 'status', 'Choose what this turned out to be');
    const reason = text(raw.reason);
    check.check(reason.length >= 3 && reason.length <= 2000, 'reason', 'Say why, in 3 to 2,000 characters, for the auditors');
    let recoveredPence: number | null = null;
    if (status === 'recovered') {
      try {
        recoveredPence = parsePounds(text(raw.recovered));
      } catch (err) {
        if (!(err instanceof MoneyFormatError)) throw err;
      }
      check.check(recoveredPence !== null && recoveredPence > 0, 'recovered', 'Enter the amount recovered in pounds, like 1,250.00');
    }
    check.throwIfAny();
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(spendFlags).where(and(eq(spendFlags.authorityId, authorityId), eq(spendFlags.id, id))).for('update');
      if (!before) throw new NotFoundError('No such flag');
      if (before.status !== 'open') throw new ConflictError('This flag has already been settled', { form: 'This flag has already been settled' });
      const [after] = await tx.update(spendFlags).set({ status, resolutionReason: reason, recoveredPence, resolvedByUserId: actor.userId, resolvedAt: new Date() }).where(eq(spendFlags.id, id)).returning();
      await recordAudit(tx, actor, { authorityId, action: `spend-flag.${status.replace('_', '-')}`, entityType: 'spend-flag', entityId: id, before, after, reason });
    });
  }

  async listImports(authorityId: string): Promise<SpendImport[]> {
    return this.db.select().from(spendImports).where(eq(spendImports.authorityId, authorityId)).orderBy(desc(spendImports.importedAt));
  }

  private async importBySha(authorityId: string, sha: string): Promise<SpendImport | null> {
    const [row] = await this.db.select().from(spendImports).where(and(eq(spendImports.authorityId, authorityId), eq(spendImports.fileSha256, sha)));
    return row ?? null;
  }

  /**
   * The file ready to go in. A big payments file's layout is settled on the worker, which then
   * reads its rows as they are written, made into COPY data there, and checks them later, so
   * this thread only passes the data on to PostgreSQL. Other files are read here first.
   */
  private async fileToImport(authorityId: string, input: Omit<ImportInput, 'onProgress'>, worker: ImportWorker | null): Promise<FileToImport> {
    if (!worker) return this.inThread(await this.read(authorityId, input, (options) => readTransparencyFile(input.bytes, options)));
    // Settled here while the worker starts, from the start of the file.
    const layout = await this.read(authorityId, input, (options) => fileLayout(input.bytes, options));
    if (layout.dataset === 'spend-over-500' || layout.dataset === 'procurement-card') return onWorker(worker, layout, input.bytes);
    // Grants and assets go in by ordinary inserts from this thread, so a big file of them is read here, once, as it was settled.
    const file = readTransparencyFile(input.bytes, { dataset: layout.dataset, mapping: layout.mapping });
    return this.inThread({ ...file, warnings: [...layout.warnings, ...file.warnings] });
  }

  private inThread(file: TransparencyFile): FileToImport {
    return {
      write: async (tx, authorityId, importId, save, onProgress) => {
        // Grants and land assets have foreign keys to the import's record, so it goes in first.
        const figures = figuresOf(file);
        await save(figures);
        await this.writeRows(tx, authorityId, importId, file.rows, onProgress);
        return figures;
      },
      check: async (earlier) => fileFlags(file.rows, earlier),
    };
  }

  /** The mapping given, else the publisher's saved one if it still fits the file, else what the reader detects; `readWith` reads with a mapping or finds one. */
  private async read<F extends Pick<TransparencyFile, 'dataset' | 'mapping' | 'warnings'>>(authorityId: string, input: Omit<ImportInput, 'onProgress'>, readWith: (options: ReadOptions) => F | Promise<F>): Promise<F> {
    if (input.dataset !== undefined && !DATASETS.includes(input.dataset)) throw new ValidationError({ dataset: `Choose one of ${DATASETS.join(', ')}` });
    const options = input.dataset ? { dataset: input.dataset } : {};
    if (input.mapping) return readWith({ ...options, mapping: input.mapping });
    const detected = await readWith(options);
    const publisher = text(input.publisher);
    if (!publisher) return detected;
    const [saved] = await this.db
      .select()
      .from(publisherMappings)
      .where(and(eq(publisherMappings.authorityId, authorityId), eq(publisherMappings.publisher, publisher), eq(publisherMappings.dataset, detected.dataset)));
    const mapping = saved?.mapping as ColumnMapping | undefined;
    // The same mapping as detected reads the same rows: a publisher's usual layout is read once, not twice.
    if (!mapping || mapping.headerLine !== detected.mapping.headerLine || canonicalJson(mapping) === canonicalJson(detected.mapping)) return detected;
    try {
      return await readWith({ dataset: detected.dataset, mapping });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { ...detected, warnings: [`The columns saved for ${publisher} no longer fit this file, so they were worked out again: ${Object.values(err.fields).join(' ')}`, ...detected.warnings] };
    }
  }

  private async writeRows(tx: Tx, authorityId: string, importId: string, rows: TypedRow[], onProgress?: (written: number, total: number) => void) {
    await copyData(tx, 'spend_transactions', TRANSACTION_COLUMNS, paymentCopyData(rows, authorityId, importId), { format: 'binary', progress: (done) => onProgress?.(done, rows.length) });
    const grants = rows.flatMap((r) => (r.dataset === 'grants-vcse' ? [grantOf(r, authorityId, importId)] : []));
    const assets = rows.flatMap((r) => (r.dataset === 'land-assets' ? [assetOf(r, authorityId, importId)] : []));
    for (let j = 0; j < grants.length; j += ROW_BATCH) await tx.insert(vcseGrants).values(grants.slice(j, j + ROW_BATCH));
    for (let j = 0; j < assets.length; j += ROW_BATCH) await tx.insert(landAssets).values(assets.slice(j, j + ROW_BATCH));
    onProgress?.(rows.length, rows.length);
  }
}

/** How far back an earlier file's payment can share a reference with this file's: a year, as councils' finance systems seldom reuse a reference within one. */
const EARLIER_REFERENCE_DAYS = 366;

/**
 * The payments of the authority's earlier imports of the same kind that could repeat one of
 * this import's payments: from a year before its first date to a month after its last.
 */
async function earlierPayments(tx: Tx, record: SpendImport): Promise<EarlierPayment[]> {
  const { authorityId, dataset, fromDate, toDate } = record;
  if ((dataset !== 'spend-over-500' && dataset !== 'procurement-card') || fromDate === null || toDate === null) return [];
  // Imported before this one (so not this one); of two imported in the same millisecond, the one with the lower id counts as the earlier.
  const before = or(lt(spendImports.importedAt, record.importedAt), and(eq(spendImports.importedAt, record.importedAt), lt(spendImports.id, record.id)));
  const rows = await tx
    .select({ line: spendTransactions.line, date: spendTransactions.paidOn, amountPence: spendTransactions.amountPence, name: spendTransactions.supplierName, redacted: spendTransactions.redacted, supplierId: spendTransactions.supplierRef, transactionRef: spendTransactions.transactionRef, invoiceRef: spendTransactions.invoiceRef, fileName: spendImports.fileName })
    .from(spendTransactions)
    .innerJoin(spendImports, eq(spendImports.id, spendTransactions.importId))
    .where(and(eq(spendTransactions.authorityId, authorityId), eq(spendTransactions.dataset, dataset), before, sql`${spendTransactions.paidOn} between ${addDays(fromDate, -EARLIER_REFERENCE_DAYS)} and ${addDays(toDate, 31)}`));
  return rows.map((r) => {
    const payee = { name: r.name, redacted: r.redacted, supplierId: r.supplierId };
    return { line: r.line, date: r.date, day: r.date === null ? null : dayNumber(r.date), amountPence: r.amountPence, key: supplierKey(payee), name: payeeName(payee), transactionRef: r.transactionRef, invoiceRef: r.invoiceRef, card: null, fileName: r.fileName };
  });
}

/** An import's payments as saved, in line order, in the reader's shape. Grants and land assets have no payment checks, so none are read back for them. */
async function storedPayments(db: Db, record: SpendImport): Promise<TypedRow[]> {
  const dataset = record.dataset;
  if (dataset !== 'spend-over-500' && dataset !== 'procurement-card') return [];
  const saved = await db.select().from(spendTransactions).where(eq(spendTransactions.importId, record.id)).orderBy(asc(spendTransactions.line));
  return saved.map((r) => paymentOfStored(dataset, r));
}

/** What an import does with a file: writes its rows and its record, then checks them. */
interface FileToImport {
  /**
   * Writes the rows under `importId`, calls `save` with the file's figures to write the import's
   * record (a big payments file's are known only once its rows have all been read, as they were
   * written), and answers the figures.
   */
  write(tx: Tx, authorityId: string, importId: string, save: (figures: FileFigures) => Promise<void>, onProgress?: (written: number, total: number) => void): Promise<FileFigures>;
  check(earlier: EarlierPayment[]): Promise<Flag[]>;
}

/**
 * A big payments file read, written and checked by the worker (check-worker.ts). Its bytes go in
 * shared memory, so the worker reads them where this thread put them rather than from a copy of
 * its own made as it starts reading. The COPY data it sends as it reads goes straight on to
 * PostgreSQL, so the file is read and loaded at once; the worker keeps it to check later. The
 * progress total is the worker's estimate until the read is done.
 */
function onWorker(worker: ImportWorker, layout: FileLayout, bytes: Uint8Array): FileToImport {
  return {
    async write(tx, authorityId, importId, save, onProgress) {
      const { port1, port2 } = new MessageChannel();
      const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
      shared.set(bytes);
      const read = worker.ask({ read: { bytes: shared, options: { dataset: layout.dataset, mapping: layout.mapping }, authorityId, importId, port: port2 } }, [port2]);
      let expected = 0;
      async function* dataOf(messages: AsyncIterable<CopyMessage>): AsyncGenerator<CopyChunk> {
        for await (const message of messages) {
          if (!('chunk' in message)) continue;
          expected = message.expected;
          yield { data: message.chunk, sent: message.sent };
        }
      }
      await copyData(tx, 'spend_transactions', TRANSACTION_COLUMNS, dataOf(portMessages<CopyMessage>(port1, (m) => 'end' in m, read)), { format: 'binary', progress: (sent) => onProgress?.(sent, expected) });
      const answer = await read;
      // Refused part-way (which layout() should have found first): the rows sent go back with the transaction.
      if (answer && 'refused' in answer) throw new ValidationError(answer.refused);
      if (!answer || !('file' in answer)) throw new Error('The import worker did not answer a read with a file');
      const figures = { ...answer.file, warnings: [...layout.warnings, ...answer.file.warnings] };
      // spend_transactions has no foreign key, so the record can follow its rows.
      await save(figures);
      return figures;
    },
    async check(earlier) {
      const answer = await worker.ask({ check: { earlier } });
      if (!answer || !('flags' in answer)) throw new Error('The import worker did not answer the checks with flags');
      return answer.flags;
    },
  };
}

/** The flag columns, in the order flagFields gives their values. */
const FLAG_COLUMNS = ['id', 'authority_id', 'import_id', 'check', 'severity', 'explanation', 'lines', 'amount_pence', 'status', 'created_at'] as const;

/** A new, open flag as spend_flags' values: loaded by COPY too, as a big file can raise tens of thousands. */
function flagFields(f: Flag, authorityId: string, importId: string, createdAt: Date): CopyValue[] {
  return [newId(), authorityId, importId, f.check, f.severity, f.explanation, JSON.stringify(f.lines), f.amountPence, 'open', createdAt.toISOString()];
}

/**
 * The share of spend going to each kind of supplier — voluntary and community sector, social
 * enterprises, SMEs, public bodies, individuals — as far as organisations, names and numbers tell.
 */
function shareByKind(suppliers: readonly ResolvedSupplier[]) {
  const totals = new Map<SupplierKind, number>();
  for (const s of suppliers) totals.set(s.kind.kind, (totals.get(s.kind.kind) ?? 0) + s.totalPence);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals].map(([kind, totalPence]) => ({ label: SUPPLIER_KIND_NAMES[kind], totalPence, share: percentOf(totalPence, all) })).sort((a, b) => b.totalPence - a.totalPence);
}

function reportOf(record: SpendImport, alreadyImported: boolean): ImportReport {
  return {
    importId: record.id,
    alreadyImported,
    dataset: record.dataset as Dataset,
    rows: record.rows,
    rejected: record.rejected,
    credits: record.credits,
    totalPence: record.totalPence,
    from: record.fromDate,
    to: record.toDate,
    warnings: record.warnings,
    errors: record.errors,
  };
}

function grantOf(r: Extract<TypedRow, { dataset: 'grants-vcse' }>, authorityId: string, importId: string) {
  return { id: newId(), authorityId, importId, line: r.line, awardedOn: r.awardDate, recipient: r.recipient, redacted: r.redacted, registrationNumber: r.registrationNumber, amountPence: r.amountPence, purpose: r.purpose, period: r.period, department: r.department };
}

function assetOf(r: Extract<TypedRow, { dataset: 'land-assets' }>, authorityId: string, importId: string) {
  return {
    id: newId(), authorityId, importId, line: r.line, uprn: r.uprn, uprnStatus: r.uprnStatus, assetRef: r.assetId, name: r.name, streetNumber: r.streetNumber, streetName: r.streetName,
    postTown: r.postTown, postcode: r.postcode, easting: r.easting, northing: r.northing, coordinateSystem: r.coordinateSystem, tenure: r.tenure, tenureDetail: r.tenureDetail,
  };
}

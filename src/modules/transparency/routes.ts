/** Where the money goes: the open data page and dashboards, the Code's files to download, and officers' imports. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { errorList, handleForm } from '../../lib/http/forms.ts';
import { sealUpload, unsealUpload } from '../../lib/http/sealed-upload.ts';
import { ConflictError, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { DATASETS, DATASET_NAMES, FIELDS, type Dataset } from './fields.ts';
import type { ColumnMapping } from './layout.ts';
import type { TransparencyFile } from './read.ts';
import type { ImportReport } from './service.ts';
import type { CheckName } from './payments.ts';
import { grantsCsv, transactionsCsv } from './publish.ts';
import { SUPPLIER_KIND_NAMES } from './service.ts';

/** Files of this many rows or more are imported after the answer, with a page to follow: a browser would otherwise wait minutes for one response. */
const BACKGROUND_IMPORT_ROWS = 20_000;

/** Council spend files run to a few megabytes; a year of a large council's can be tens. */
const UPLOAD_LIMIT = 50 * 1024 * 1024;
const datasetChoices = DATASETS.map((d) => [d, DATASET_NAMES[d]] as [string, string]);
const isDataset = (v: string): v is Dataset => (DATASETS as readonly string[]).includes(v);

/** The checks in officers' words. */
const CHECK_NAMES: Record<CheckName, string> & Record<string, string | undefined> = {
  'duplicate-payment': 'Possible duplicate payment',
  'split-purchase': 'Possible split purchase',
  'no-contract': 'Spend above the contract threshold with no contract',
  'round-sum': 'Round-sum payment',
  'out-of-pattern': 'Payment out of the supplier’s usual pattern',
  'card-merchant-category': 'Card spend at an unusual kind of merchant',
  'card-weekend-or-bank-holiday': 'Card spend at a weekend or on a bank holiday',
  'card-round-sum': 'Round-sum card spend',
};
const FLAG_STATUSES: Record<string, string> = { open: 'Open', resolved: 'Resolved', recovered: 'Money recovered', false_positive: 'False positive' };

/** The mapping as the officer left it on the preview page: each field's column, or none. */
function mappingFrom(body: Record<string, unknown>, detected: ColumnMapping): ColumnMapping {
  const columns: ColumnMapping['columns'] = {};
  for (const field of FIELDS[detected.dataset]) {
    const chosen = text(body[`column.${field.name}`]);
    if (chosen === '') continue;
    const index = Number(chosen);
    if (!Number.isInteger(index) || index < 0 || index >= detected.width) throw new ValidationError({ [`column.${field.name}`]: `Choose a column of the file for ${field.label}` });
    columns[field.name] = { index, heading: detected.columns[field.name]?.index === index ? detected.columns[field.name]!.heading : null, confidence: 'high' };
  }
  return { ...detected, columns };
}

export const transparencyRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { transparency } = services;
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/spending`;

    app.get('/a/:authority/spending', { config: { action: 'public.view' } }, async (req, reply) => {
      const [quarters, spend, card] = await Promise.all([
        transparency.quarters(req.authority!.id),
        transparency.dashboard(req.authority!.id, 'spend-over-500'),
        transparency.dashboard(req.authority!.id, 'procurement-card'),
      ]);
      return reply.view('transparency/views/open-data.njk', { title: `Where the money goes in ${req.authority!.name}`, quarters, datasetNames: DATASET_NAMES, spend, card });
    });

    app.get<{ Params: { dataset: string; quarter: string } }>('/a/:authority/spending/:dataset/:quarter', { config: { action: 'public.view' } }, async (req, reply) => {
      const match = /^(.+)\.(csv|json)$/.exec(req.params.quarter);
      const dataset = req.params.dataset;
      if (!match || !isDataset(dataset) || dataset === 'land-assets' || !/^(\d{4}-Q[1-4]|undated)$/.test(match[1]!)) throw new NotFoundError('No such file');
      const [, quarter, format] = match as unknown as [string, string, 'csv' | 'json'];
      const authority = req.authority!;
      const rows = dataset === 'grants-vcse' ? await transparency.grantsIn(authority.id, quarter) : await transparency.transactionsIn(authority.id, dataset, quarter);
      if (rows.length === 0) throw new NotFoundError('No such file');
      const name = `${authority.slug}-${dataset}-${quarter}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify({ publisher: authority.name, dataset, quarter, licence: 'Open Government Licence v3.0', rows }, null, 2));
      return reply.type('text/csv; charset=utf-8').send(dataset === 'grants-vcse' ? grantsCsv(rows as Awaited<ReturnType<typeof transparency.grantsIn>>) : transactionsCsv(dataset, rows as Awaited<ReturnType<typeof transparency.transactionsIn>>));
    });

    // ------------------------------------------------------------ counter-fraud flags (officers only)
    app.get('/a/:authority/spending/flags', { config: { action: 'spend.manage' } }, async (req, reply) => {
      const [open, settled, totals] = await Promise.all([transparency.listFlags(req.authority!.id, { open: true }), transparency.listFlags(req.authority!.id, { open: false, limit: 50 }), transparency.flagTotals(req.authority!.id)]);
      return reply.view('transparency/views/flags.njk', { title: 'Warning signs in the spending', open, settled, totals, checkNames: CHECK_NAMES, statusNames: FLAG_STATUSES });
    });

    const flagPage = async (req: FastifyRequest<{ Params: { flag: string } }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      if (!isUuid(req.params.flag)) throw new NotFoundError('No such flag');
      const { flag, rows } = await transparency.getFlag(req.authority!.id, req.params.flag);
      return reply.view('transparency/views/flag.njk', { title: CHECK_NAMES[flag.check] ?? flag.check, flag, rows, statusNames: FLAG_STATUSES, values: {}, ...extra });
    };
    app.get<{ Params: { flag: string } }>('/a/:authority/spending/flags/:flag', { config: { action: 'spend.manage' } }, async (req, reply) => flagPage(req, reply));
    app.post<{ Params: { flag: string }; Body: Record<string, unknown> }>('/a/:authority/spending/flags/:flag', { config: { action: 'spend.manage' } }, async (req, reply) => {
      if (!isUuid(req.params.flag)) throw new NotFoundError('No such flag');
      try {
        await transparency.settleFlag(actorOf(req), req.authority!.id, req.params.flag, req.body);
      } catch (err) {
        if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
        const errors = Object.keys(err.fields).length ? err.fields : { form: err.message };
        return flagPage(req, reply.code(400), { errors, errorList: errorList(errors), values: req.body });
      }
      return reply.redirect(`${base(req)}/flags`, 303);
    });

    // ------------------------------------------------------------ suppliers: merges and organisations (officers only)
    const { suppliers } = services;
    app.get('/a/:authority/spending/suppliers', { config: { action: 'spend.manage' } }, async (req, reply) =>
      reply.view('transparency/views/suppliers.njk', { title: 'Suppliers', review: await suppliers.review(req.authority!.id), kindNames: SUPPLIER_KIND_NAMES }),
    );

    const decidePage = async (req: FastifyRequest, reply: FastifyReply, keyA: string, keyB: string, extra: Record<string, unknown> = {}) => {
      const authorityId = req.authority!.id;
      const { first, second, proposal } = await suppliers.pair(authorityId, keyA, keyB);
      return reply.view('transparency/views/supplier-decide.njk', { title: 'Are these one supplier?', first, second, keyA, keyB, reason: proposal?.reason, values: {}, ...extra });
    };
    app.get<{ Querystring: { a?: string; b?: string } }>('/a/:authority/spending/suppliers/decide', { config: { action: 'spend.manage' } }, async (req, reply) => decidePage(req, reply, text(req.query.a), text(req.query.b)));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/spending/suppliers/decisions', { config: { action: 'spend.manage' } }, async (req, reply) => {
      try {
        await suppliers.decide(actorOf(req), req.authority!.id, req.body);
      } catch (err) {
        if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
        const errors = Object.keys(err.fields).length ? err.fields : { form: err.message };
        return decidePage(req, reply.code(400), text(req.body.keyA), text(req.body.keyB), { errors, errorList: errorList(errors), values: req.body });
      }
      return reply.redirect(`${base(req)}/suppliers`, 303);
    });

    const supplierPage = async (req: FastifyRequest, reply: FastifyReply, key: string, extra: Record<string, unknown> = {}) => {
      const [supplier, organisations] = await Promise.all([suppliers.supplier(req.authority!.id, key), services.organisations.choices(req.authority!.id)]);
      return reply.view('transparency/views/supplier.njk', {
        title: supplier.name,
        supplier,
        kindNames: SUPPLIER_KIND_NAMES,
        organisationChoices: [['', 'None: not on the platform'], ...organisations],
        values: { organisationId: supplier.organisation?.id ?? '' },
        ...extra,
      });
    };
    app.get<{ Querystring: { key?: string } }>('/a/:authority/spending/suppliers/supplier', { config: { action: 'spend.manage' } }, async (req, reply) => supplierPage(req, reply, text(req.query.key)));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/spending/suppliers/links', { config: { action: 'spend.manage' } }, async (req, reply) => {
      try {
        await suppliers.link(actorOf(req), req.authority!.id, req.body);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return supplierPage(req, reply.code(400), text(req.body.supplierKey), { errors: err.fields, errorList: errorList(err.fields), values: req.body });
      }
      return reply.redirect(`${base(req)}/suppliers`, 303);
    });

    const donePage = (reply: FastifyReply, report: ImportReport) =>
      reply.view('transparency/views/done.njk', { title: report.alreadyImported ? 'This file was imported before' : 'Import complete', report, datasetName: DATASET_NAMES[report.dataset] });

    /** A big import's progress, then its report; refreshed by the officer (no page reloads itself, which some readers cannot stop). */
    app.get<{ Params: { job: string } }>('/a/:authority/spending/import/jobs/:job', { config: { action: 'spend.manage' } }, async (req, reply) => {
      const job = isUuid(req.params.job) ? transparency.importJob(req.authority!.id, req.params.job) : null;
      if (!job) return reply.code(404).view('transparency/views/importing.njk', { title: 'No such import running', job: null });
      if (job.report) return donePage(reply, job.report);
      return reply.view('transparency/views/importing.njk', { title: job.failure ? (job.imported ? 'The checks did not finish' : 'The import did not finish') : job.imported ? `Checking ${job.fileName}` : `Importing ${job.fileName}`, job, percent: job.total ? Math.floor((job.written / job.total) * 100) : 0 });
    });

    const IMPORT_FORM = 'transparency/views/import.njk';
    const importData = (req: FastifyRequest) => ({ title: 'Import a Transparency Code file', datasetChoices: [['', 'Work it out from the file'], ...datasetChoices], imports: [] as unknown[], base: base(req) });
    app.get('/a/:authority/spending/import', { config: { action: 'spend.manage' } }, async (req, reply) =>
      reply.view(IMPORT_FORM, { ...importData(req), imports: await transparency.listImports(req.authority!.id), values: { publisher: req.authority!.name } }),
    );

    /** The preview: what was found in the file, the columns to confirm, and every row that would not be taken. */
    const preview = (req: FastifyRequest, reply: FastifyReply, file: TransparencyFile, sealed: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const headingOf = (i: number) => Object.values(file.mapping.columns).find((c) => c.index === i)?.heading;
      const columnChoices = [['', 'Not in this file'], ...Array.from({ length: file.mapping.width }, (_, i) => [String(i), `Column ${i + 1}${headingOf(i) ? `: ${headingOf(i)}` : ''}`])];
      return reply.view('transparency/views/preview.njk', {
        title: 'Check the file before it goes in',
        file,
        sealed,
        datasetName: DATASET_NAMES[file.dataset],
        fields: FIELDS[file.dataset].map((f) => ({ ...f, chosen: file.mapping.columns[f.name] ? String(file.mapping.columns[f.name]!.index) : '', confidence: file.mapping.columns[f.name]?.confidence })),
        columnChoices,
        values,
        sample: file.rows.slice(0, 5),
        ...extra,
      });
    };

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/spending/import', { config: { action: 'spend.manage', multipartOptions: { limits: { fileSize: UPLOAD_LIMIT } } } }, async (req, reply) => {
      let shown: FastifyReply | undefined;
      return (
        (await handleForm(reply, { template: IMPORT_FORM, data: importData(req), values: { ...req.body, file: undefined } }, async () => {
          const bytes = req.body.file;
          if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ValidationError({ file: 'Choose the file to import' });
          const dataset = text(req.body.dataset);
          const publisher = text(req.body.publisher) || req.authority!.name;
          const file = await transparency.preview(req.authority!.id, { fileName: 'upload', bytes, publisher, ...(isDataset(dataset) ? { dataset } : {}) });
          shown = await preview(req, reply, file, sealUpload(app, req.authority!.id, bytes), { publisher, fileName: text(req.body.fileName) || 'Uploaded file' });
        })) ?? shown
      );
    });

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/spending/import/confirm', { config: { action: 'spend.manage' }, bodyLimit: UPLOAD_LIMIT * 2 }, async (req, reply) => {
      const authority = req.authority!;
      const sealed = text(req.body.upload);
      const bytes = unsealUpload(app, authority.id, sealed);
      const publisher = text(req.body.publisher) || authority.name;
      const dataset = text(req.body.dataset);
      const detected = await transparency.preview(authority.id, { fileName: 'upload', bytes, publisher, ...(isDataset(dataset) ? { dataset } : {}) });
      try {
        const mapping = mappingFrom(req.body, detected.mapping);
        const input = { fileName: text(req.body.fileName) || 'Uploaded file', bytes, publisher, mapping };
        if (detected.rows.length >= BACKGROUND_IMPORT_ROWS) {
          const job = transparency.startImport(actorOf(req), authority.id, authority.name, { ...input, rows: detected.rows.length }, (err) => req.log.error({ err }, 'a background spend import failed'));
          return reply.redirect(`${base(req)}/import/jobs/${job.id}`, 303);
        }
        return donePage(reply, await transparency.importFile(actorOf(req), authority.id, authority.name, input));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const errors = err.fields;
        return preview(req, reply.code(400), detected, sealed, req.body, { errors, errorList: errorList(errors) });
      }
    });
  };

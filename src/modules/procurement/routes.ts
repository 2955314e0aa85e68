/** Procurement: opportunities, supplier registration, sealed bids, evaluation and award, the contracts register — pages and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { handleForm } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses, pageOf, PageQuery, paged } from '../../lib/http/api.ts';
import { can } from '../../lib/auth/policy.ts';
import { financialYearOf, londonToday } from '../../lib/dates.ts';
import { formatPence } from '../../lib/money.ts';
import { optionalText } from '../../lib/errors.ts';
import { ORGANISATION_TYPES, SECTOR_GROUP_LABELS } from '../organisations/rules.ts';
import { CONTRACT_TYPES, DIRECT_AWARD_GROUNDS } from './thresholds.ts';
import { CONTRACT_END_REASONS, CRITERION_KINDS, LOCALITIES, PLANNED_ROUTES, PROCEDURES, QUALITY_SCALE, SUPPLIER_SIZES, directAwardGround, financialYearLabel, lotsStillOpen, mayStillBid, points } from './rules.ts';
import type { RegisterEntry } from './notices-service.ts';
import { contractsCsv, registerRouteLabel } from './publish.ts';
import { isClosed, type Lot, type Tender } from './service.ts';
import { percentOf } from '../../lib/percent.ts';

type Body = { Body: Record<string, unknown> };
type TenderParams = { Params: { tender: string } };
type ContractParams = { Params: { contract: string } };
type PlannedParams = { Params: { planned: string } };

const choices = (o: Record<string, string>) => Object.entries(o) as [string, string][];
const GROUP_LABELS = { ...SECTOR_GROUP_LABELS, sme: 'Small and medium-sized', local: 'Based in the borough' } as const;

const TenderJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ref: Type.String(),
  title: Type.String(),
  description: Type.String(),
  serviceArea: Type.String(),
  cpvCode: Type.String(),
  contractType: Type.String({ enum: Object.keys(CONTRACT_TYPES) }),
  valueExVatPence: Type.Integer(),
  valueInclVatPence: Type.Integer({ description: 'Procurement Act 2023 notices give values with VAT' }),
  regime: Type.String(),
  aboveThreshold: Type.Boolean(),
  procedure: Type.String({ enum: Object.keys(PROCEDURES) }),
  reservedForMutuals: Type.Boolean(),
  termMonths: Type.Integer(),
  publishedOn: Type.String({ format: 'date' }),
  clarificationsCloseOn: Type.String({ format: 'date' }),
  closesAt: Type.String({ format: 'date-time' }),
  status: Type.String({ enum: ['open', 'closed', 'awarded', 'cancelled'] }),
  origin: Type.Union([Type.Object({ kind: Type.String(), id: Type.String() }), Type.Null()]),
});
const tenderJson = (t: Tender & { dbNowMs: number }) => ({
  id: t.id, ref: t.ref, title: t.title, description: t.description, serviceArea: t.serviceArea, cpvCode: t.cpvCode, contractType: t.contractType,
  valueExVatPence: t.valueExVatPence, valueInclVatPence: t.valueInclVatPence, regime: t.regime, aboveThreshold: t.aboveThreshold, procedure: t.procedure,
  reservedForMutuals: t.reservedForMutuals, termMonths: t.termMonths, publishedOn: t.publishedOn, clarificationsCloseOn: t.clarificationsCloseOn,
  closesAt: t.closesAt.toISOString(), status: t.status === 'open' && isClosed(t) ? 'closed' : t.status, origin: t.originKind ? { kind: t.originKind, id: t.originId! } : null,
});
const LotJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  position: Type.Integer(),
  title: Type.String(),
  valueExVatPence: Type.Union([Type.Integer(), Type.Null()], { description: 'The lot’s own estimated value without VAT, if the council gave one' }),
  awarded: Type.Boolean(),
  notAwarded: Type.Boolean({ description: 'The council decided not to award this lot (Procurement Act 2023, section 55)' }),
});
const ContractJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ref: Type.String(),
  title: Type.String(),
  serviceArea: Type.String(),
  supplier: Type.Object({ name: Type.String(), type: Type.String(), size: Type.String(), locality: Type.String() }),
  valuePence: Type.Integer({ description: 'Without VAT, with every variation' }),
  startsOn: Type.String({ format: 'date' }),
  endsOn: Type.String({ format: 'date', description: 'With every extension' }),
  tenderId: Type.Union([Type.String(), Type.Null()]),
});
const NoticeJson = Type.Object({
  code: Type.String({ description: 'The notice type: UK1 to UK17, BT and BT-CDN below threshold, or KPI-ASSESSMENT (the s.71 assessment that precedes a UK9)' }),
  title: Type.String(),
  trigger: Type.String(),
  source: Type.String(),
  dueOn: Type.String({ format: 'date' }),
  subject: Type.Object({ kind: Type.String({ enum: ['tender', 'contract', 'authority'] }), id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]), ref: Type.String(), title: Type.String() }),
  published: Type.Boolean(),
  publishedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  overdue: Type.Boolean({ description: 'Past its due day (today in Europe/London) and not published' }),
});
const noticeJson = (e: RegisterEntry) => ({
  code: e.code, title: e.title, trigger: e.trigger, source: e.source, dueOn: e.dueOn!, subject: e.subject, published: !!e.published, publishedOn: e.publishedOn, overdue: e.overdue,
});
const TenderParamsSchema = Type.Object({ authority: AuthorityParam.properties.authority, tender: Type.String({ format: 'uuid' }) });
const BidBody = Type.Object({
  lotId: Type.Optional(Type.String({ format: 'uuid', description: 'The lot bid for (one of lotDetails), which a tender with lots needs; one sealed bid per lot' })),
  leadSupplierId: Type.String({ format: 'uuid', description: 'A registered supplier you have a role in: the bidder, or the lead of a consortium' }),
  members: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { description: 'Other registered suppliers in the consortium' })),
  price: Type.String({ description: 'Price without VAT in pounds, e.g. "95,000"' }),
  qualityResponse: Type.String(),
}, { additionalProperties: Type.String({ description: 'measure-<measure id>: the quantity committed' }) });

export const procurementRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { procurement, procurementNotices } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/procurement`;
    const manages = (req: FastifyRequest) => can(req.principal, 'procurement.manage', { authorityId: req.authority!.id });
    const userId = (req: FastifyRequest) => req.principal.userId!;

    app.get('/a/:authority/procurement', { config: { action: 'public.view' } }, async (req, reply) => {
      const manage = manages(req);
      const all = await procurement.listTenders(req.authority!.id, { openOnly: !manage });
      const open = all.filter((t) => t.status === 'open' && !isClosed(t));
      const others = all.filter((t) => !open.includes(t));
      return reply.view('procurement/views/list.njk', { title: `Opportunities to bid in ${req.authority!.name}`, open, others, manage, signedIn: !!req.principal.userId, procedureLabels: PROCEDURES });
    });

    // ------------------------------------------------------------ tenders

    const TENDER_FORM = 'procurement/views/tender-form.njk';
    const groundChoices = () => DIRECT_AWARD_GROUNDS.filter((g) => directAwardGround(g.code, londonToday())).map((g) => [g.code, g.label] as [string, string]);
    /** The registered suppliers a direct award may name, as select items with a first empty choice. */
    const supplierChoices = async (req: FastifyRequest) => [['', 'Choose a supplier'] as [string, string], ...(await procurement.listSuppliers(req.authority!.id)).map((s) => [s.id, s.name] as [string, string])];
    const tenderFormData = async (req: FastifyRequest) => ({ title: 'Publish a tender', contractTypeChoices: choices(CONTRACT_TYPES), procedureChoices: choices(PROCEDURES), groundChoices: groundChoices(), supplierChoices: await supplierChoices(req) });
    app.get('/a/:authority/procurement/tenders/new', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      reply.view(TENDER_FORM, { ...(await tenderFormData(req)), values: { contractType: 'light_touch', procedure: 'open', priceWeight: '40', qualityWeight: '40', socialValueWeight: '20', startsOn: londonToday() } }),
    );
    app.post<Body>('/a/:authority/procurement/tenders', { config: { action: 'procurement.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: TENDER_FORM, data: await tenderFormData(req), values: req.body }, async () => {
          id = (await procurement.createTender(actorOf(req), req.authority!.id, req.body)).id;
        })) ?? reply.redirect(`${base(req)}/tenders/${id}`, 303)
      );
    });

    const TENDER_PAGE = 'procurement/views/tender.njk';
    const tenderPage = async (req: FastifyRequest<TenderParams>) => {
      const view = await procurement.getTender(req.authority!.id, req.params.tender);
      const receipts = req.principal.userId ? await procurement.receiptsFor(req.authority!.id, view.tender.id, req.principal.userId) : [];
      const manage = manages(req);
      const awardByLot = Object.fromEntries(view.awards.map((a) => [a.lotId, a]));
      return {
        lotsToDecide: view.lots.filter((l) => !l.notAwardedAt && !awardByLot[l.id]).map((l) => [l.id, `Lot ${l.position}: ${l.title}`]),
        // Someone not yet registered to bid is still shown the way in; the bid form asks them to register.
        openToYou: req.principal.userId ? await openToBidder(req, view.lots, receipts) : true,
        supplierChoices: manage && view.directAward ? await supplierChoices(req) : [], today: londonToday(),
        ...view, title: view.tender.title, manage, signedIn: !!req.principal.userId, receipts, values: {},
        contractTypeLabel: CONTRACT_TYPES[view.tender.contractType as keyof typeof CONTRACT_TYPES], procedureLabel: PROCEDURES[view.tender.procedure as keyof typeof PROCEDURES], criterionKinds: CRITERION_KINDS,
        questionsOpen: londonToday() <= view.tender.clarificationsCloseOn && !view.closed,
        groundLabel: directAwardGround(view.tender.directAwardGround, view.tender.publishedOn)?.label ?? null,
        lotTitles: Object.fromEntries(view.lots.map((l) => [l.id, l.title])), awardByLot,
      };
    };
    app.get<TenderParams>('/a/:authority/procurement/tenders/:tender', { config: { action: 'public.view' } }, async (req, reply) => reply.view(TENDER_PAGE, await tenderPage(req)));

    app.post<TenderParams & Body>('/a/:authority/procurement/tenders/:tender/questions', { config: { action: 'procurement.bid' } }, async (req, reply) =>
      (await handleForm(reply, { template: TENDER_PAGE, data: await tenderPage(req), values: req.body }, () => procurement.ask(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body))) ??
      reply.redirect(`${base(req)}/tenders/${req.params.tender}#questions`, 303),
    );
    app.post<{ Params: { tender: string; question: string }; Body: Record<string, unknown> }>('/a/:authority/procurement/tenders/:tender/questions/:question/answer', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: TENDER_PAGE, data: await tenderPage(req), values: req.body }, () => procurement.answer(actorOf(req), req.authority!.id, req.params.tender, req.params.question, req.body))) ??
      reply.redirect(`${base(req)}/tenders/${req.params.tender}#questions`, 303),
    );

    // A direct award's steps: name the supplier, record the transparency notice (UK5), award.
    const directAwardStep = (path: string, change: (req: FastifyRequest<TenderParams & Body>) => Promise<unknown>) =>
      app.post<TenderParams & Body>(`/a/:authority/procurement/tenders/:tender/${path}`, { config: { action: 'procurement.manage' } }, async (req, reply) =>
        (await handleForm(reply, { template: TENDER_PAGE, data: await tenderPage(req), values: req.body }, async () => {
          await change(req);
        })) ?? reply.redirect(`${base(req)}/tenders/${req.params.tender}#direct-award`, 303),
      );
    directAwardStep('supplier', (req) => procurement.nameSupplier(actorOf(req), req.authority!.id, req.params.tender, req.body));
    directAwardStep('transparency-notice', (req) => procurement.recordTransparencyNotice(actorOf(req), req.authority!.id, req.params.tender, req.body));
    directAwardStep('direct-award', (req) => procurement.awardDirect(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body));

    app.post<TenderParams & Body>('/a/:authority/procurement/tenders/:tender/lots/not-awarded', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: TENDER_PAGE, data: await tenderPage(req), values: req.body }, () => procurement.decideNotToAwardLot(actorOf(req), req.authority!.id, req.params.tender, req.body))) ??
      reply.redirect(`${base(req)}/tenders/${req.params.tender}#lots`, 303),
    );
    app.post<TenderParams & Body>('/a/:authority/procurement/tenders/:tender/cancel', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: TENDER_PAGE, data: await tenderPage(req), values: req.body }, () => procurement.cancel(actorOf(req), req.authority!.id, req.params.tender, req.body))) ??
      reply.redirect(`${base(req)}/tenders/${req.params.tender}`, 303),
    );

    // ------------------------------------------------------------ suppliers and bids

    const SUPPLIER_FORM = 'procurement/views/supplier-form.njk';
    const supplierData = async (req: FastifyRequest) => {
      const { organisations, registered } = await procurement.suppliersFor(req.authority!.id, userId(req));
      return { title: 'Register your organisation to bid', organisationChoices: organisations, registered, sizeChoices: choices(SUPPLIER_SIZES), localityChoices: choices(LOCALITIES), typeLabels: ORGANISATION_TYPES };
    };
    app.get('/a/:authority/procurement/suppliers/register', { config: { action: 'procurement.bid' } }, async (req, reply) => reply.view(SUPPLIER_FORM, { ...(await supplierData(req)), values: {} }));
    app.post<Body>('/a/:authority/procurement/suppliers', { config: { action: 'procurement.bid' } }, async (req, reply) =>
      (await handleForm(reply, { template: SUPPLIER_FORM, data: await supplierData(req), values: req.body }, async () => {
        await procurement.registerSupplier(actorOf(req), req.authority!.id, userId(req), req.body);
      })) ?? reply.redirect(`${base(req)}/suppliers/register`, 303),
    );

    /** Whether the signed-in bidder's organisations may still bid for anything in the tender (true before they register any). */
    const openToBidder = async (req: FastifyRequest, lots: Lot[], receipts: { lotId: string | null; leadSupplierId: string }[]) => {
      const { registered } = await procurement.suppliersFor(req.authority!.id, userId(req));
      const leads = registered.map((s) => s.id);
      return leads.length === 0 || (lots.length ? lotsStillOpen(lots, leads, receipts).length > 0 : mayStillBid(null, leads, receipts));
    };

    const BID_FORM = 'procurement/views/bid-form.njk';
    const bidData = async (req: FastifyRequest<TenderParams>) => {
      const view = await procurement.getTender(req.authority!.id, req.params.tender);
      const { registered } = await procurement.suppliersFor(req.authority!.id, userId(req));
      const all = await procurement.listSuppliers(req.authority!.id);
      const measures = await procurement.listMeasures(services.database.db, req.authority!.id);
      const receipts = await procurement.receiptsFor(req.authority!.id, view.tender.id, userId(req));
      const leads = registered.map((s) => s.id);
      return {
        title: `Bid for ${view.tender.title}`, tender: view.tender, closed: view.closed, leadChoices: registered.map((s) => [s.id, s.name]),
        receipts, lotTitles: Object.fromEntries(view.lots.map((l) => [l.id, `Lot ${l.position}: ${l.title}`])), hasLots: view.lots.length > 0,
        openToYou: await openToBidder(req, view.lots, receipts),
        // Only the lots still open to one of the bidder's organisations are offered: each takes one sealed bid from each.
        lotChoices: lotsStillOpen(view.lots, leads, receipts).map((l) => [l.id, l.valueExVatPence === null ? l.title : `${l.title} (estimated ${formatPence(l.valueExVatPence)} without VAT)`]),
        memberChoices: all.map((s) => [s.id, `${s.name} (${ORGANISATION_TYPES[s.type as keyof typeof ORGANISATION_TYPES] ?? s.type})`]), measures,
      };
    };
    app.get<TenderParams>('/a/:authority/procurement/tenders/:tender/bid', { config: { action: 'procurement.bid' } }, async (req, reply) => reply.view(BID_FORM, { ...(await bidData(req)), values: {} }));
    app.post<TenderParams & Body>('/a/:authority/procurement/tenders/:tender/bids', { config: { action: 'procurement.bid' } }, async (req, reply) =>
      (await handleForm(reply, { template: BID_FORM, data: await bidData(req), values: req.body }, async () => {
        await procurement.submitBid(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body);
      })) ?? reply.redirect(`${base(req)}/tenders/${req.params.tender}?bid=received`, 303),
    );

    // ------------------------------------------------------------ evaluation

    const EVALUATION = 'procurement/views/evaluation.njk';
    /** The lot evaluated: `?lot=` on the page, a hidden `lot` field in its forms. */
    const lotOf = (req: FastifyRequest) => optionalText((req.body as Record<string, unknown> | undefined)?.lot ?? (req.query as { lot?: unknown }).lot);
    const evaluationData = async (req: FastifyRequest<TenderParams>) => {
      const ev = await procurement.evaluation(req.authority!.id, req.params.tender, userId(req), lotOf(req));
      const moderatedAll = ev.bids.every((b) => ev.criteria.filter((c) => c.kind === 'quality').every((c) => ev.moderated.some((m) => m.bidId === b.id && m.criterionId === c.id)));
      const standings = moderatedAll && ev.bids.length > 0 ? procurement.standings(ev) : null;
      const measureLabel = new Map(ev.measures.map((m) => [m.id, `${m.label} (${m.unit})`]));
      return {
        ...ev, title: `Evaluate ${ev.tender.title}${ev.lot ? `: ${ev.lot.title}` : ''}`, scale: QUALITY_SCALE, criterionKinds: CRITERION_KINDS, moderatedAll,
        awardByLot: Object.fromEntries(ev.awards.map((a) => [a.lotId, a])),
        quality: ev.criteria.filter((c) => c.kind === 'quality'),
        commitmentsOf: Object.fromEntries(ev.bids.map((b) => [b.id, b.content.commitments.map((c) => ({ label: measureLabel.get(c.measureId) ?? c.measureId, quantity: c.quantity }))])),
        mine: Object.fromEntries(ev.myScores.map((s) => [`${s.bidId}-${s.criterionId}`, s])),
        agreed: Object.fromEntries(ev.moderated.map((s) => [`${s.bidId}-${s.criterionId}`, s])),
        scoresOf: (bidId: string, criterionId: string) => ev.allScores.filter((s) => s.bidId === bidId && s.criterionId === criterionId).map((s) => s.score).join(', '),
        standings: standings?.scores.map((s) => ({ bid: ev.bids.find((b) => b.id === s.bidId)!, byCriterion: Object.fromEntries(Object.entries(s.byCriterion).map(([k, v]) => [k, points(v)])), total: points(s.total), won: s.bidId === standings.winner.bidId })),
      };
    };
    app.get<TenderParams>('/a/:authority/procurement/tenders/:tender/evaluation', { config: { action: 'procurement.manage' } }, async (req, reply) => reply.view(EVALUATION, { ...(await evaluationData(req)), values: {} }));
    const evaluationStep = (path: string, change: (req: FastifyRequest<TenderParams & Body>) => Promise<unknown>) =>
      app.post<TenderParams & Body>(`/a/:authority/procurement/tenders/:tender/${path}`, { config: { action: 'procurement.manage' } }, async (req, reply) =>
        (await handleForm(reply, { template: EVALUATION, data: await evaluationData(req), values: req.body }, async () => {
          await change(req);
        })) ?? reply.redirect(`${base(req)}/tenders/${req.params.tender}/evaluation${lotOf(req) ? `?lot=${encodeURIComponent(lotOf(req)!)}` : ''}`, 303),
      );
    evaluationStep('evaluation/declaration', (req) => procurement.declare(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body));
    evaluationStep('evaluation/scores', (req) => procurement.score(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body));
    evaluationStep('evaluation/moderation', (req) => procurement.moderate(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body));
    evaluationStep('award', (req) => procurement.award(actorOf(req), req.authority!.id, req.params.tender, userId(req), req.body));

    // ------------------------------------------------------------ contracts

    app.get('/a/:authority/procurement/contracts', { config: { action: 'public.view' } }, async (req, reply) =>
      reply.view('procurement/views/contracts.njk', { title: 'Contracts register', contracts: await procurement.listContracts(req.authority!.id), routeLabel: registerRouteLabel }),
    );
    app.get('/a/:authority/procurement/contracts.csv', { config: { action: 'public.view' } }, async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.authority!.slug}-contracts-over-5000.csv"`)
        .send(contractsCsv(await procurement.listContracts(req.authority!.id))),
    );

    const CONTRACT_PAGE = 'procurement/views/contract.njk';
    const contractData = async (req: FastifyRequest<ContractParams>) => {
      const view = await procurement.getContract(req.authority!.id, req.params.contract);
      const mine = req.principal.userId ? (await procurement.suppliersFor(req.authority!.id, req.principal.userId)).registered.some((s) => s.id === view.contract.supplierId) : false;
      return { ...view, title: view.contract.title, manage: manages(req), supplierReports: mine, endReasons: CONTRACT_END_REASONS, endReasonChoices: choices(CONTRACT_END_REASONS), routeLabel: registerRouteLabel };
    };
    app.get<ContractParams>('/a/:authority/procurement/contracts/:contract', { config: { action: 'public.view' } }, async (req, reply) => reply.view(CONTRACT_PAGE, { ...(await contractData(req)), values: {} }));
    const contractStep = <P extends ContractParams['Params']>(path: string, action: 'procurement.manage' | 'procurement.bid', change: (req: FastifyRequest<{ Params: P } & Body>) => Promise<unknown>) =>
      app.post<{ Params: P } & Body>(`/a/:authority/procurement/contracts/:contract/${path}`, { config: { action } }, async (req, reply) =>
        (await handleForm(reply, { template: CONTRACT_PAGE, data: await contractData(req), values: req.body }, async () => {
          await change(req);
        })) ?? reply.redirect(`${base(req)}/contracts/${(req.params as { contract: string }).contract}`, 303),
      );
    contractStep('changes', 'procurement.manage', (req) => procurement.changeContract(actorOf(req), req.authority!.id, req.params.contract, req.body));
    contractStep('payments', 'procurement.manage', (req) => procurement.recordPayment(actorOf(req), req.authority!.id, req.params.contract, req.body));
    contractStep('end', 'procurement.manage', (req) => procurement.endContract(actorOf(req), req.authority!.id, req.params.contract, req.body));
    contractStep<{ contract: string; kpi: string }>('kpis/:kpi/reports', 'procurement.bid', (req) => procurement.reportKpi(actorOf(req), req.authority!.id, req.params.contract, req.params.kpi, userId(req), req.body));
    contractStep<{ contract: string; report: string }>('reports/:report/check', 'procurement.manage', (req) => procurement.checkKpiReport(actorOf(req), req.authority!.id, req.params.contract, req.params.report, userId(req)));

    app.get('/a/:authority/procurement/diversity', { config: { action: 'public.view' } }, async (req, reply) => {
      const d = await procurement.diversity(req.authority!.id);
      const bars = d.groups.map((g) => ({ key: g, label: GROUP_LABELS[g], share: percentOf(d.totals.byGroup[g]!.valuePence, d.totals.valuePence), contractShare: percentOf(d.totals.byGroup[g]!.contracts, d.totals.contracts) }));
      const byYear = await procurement.diversityByYear(req.authority!.id);
      return reply.view('procurement/views/diversity.njk', { title: 'Diversity of supply', d, bars, byYear, groupLabels: GROUP_LABELS, share: percentOf });
    });

    // ------------------------------------------------------------ social value measures

    const MEASURES = 'procurement/views/measures.njk';
    const measuresData = async (req: FastifyRequest) => ({ title: 'Social value measures', measures: await procurement.listMeasures(services.database.db, req.authority!.id) });
    app.get('/a/:authority/procurement/social-value', { config: { action: 'procurement.manage' } }, async (req, reply) => reply.view(MEASURES, { ...(await measuresData(req)), values: {} }));
    app.post<Body>('/a/:authority/procurement/social-value', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: MEASURES, data: await measuresData(req), values: req.body }, async () => {
        await procurement.addMeasure(actorOf(req), req.authority!.id, req.body);
      })) ?? reply.redirect(`${base(req)}/social-value`, 303),
    );

    // ------------------------------------------------------------ the pipeline (UK1) and the notices register

    const PIPELINE = 'procurement/views/pipeline.njk';
    const pipelineData = async (req: FastifyRequest) => {
      const asked = Number((req.query as { year?: unknown }).year);
      const current = financialYearOf(londonToday());
      const year = Number.isInteger(asked) && asked >= 2025 && asked <= current + 5 ? asked : current;
      const p = await procurementNotices.pipeline(req.authority!.id, year);
      const years = [...new Set([current - 1, current, current + 1, ...p.years.map((y) => y.financialYear)])].filter((y) => y >= 2025 && y !== year).sort();
      return {
        ...p, title: `Pipeline for ${financialYearLabel(year)}`, yearLabel: financialYearLabel(year), yearLinks: years.map((y) => ({ year: y, label: financialYearLabel(y) })),
        listedIds: p.duty?.listed.map((l) => l.id) ?? [], routes: PLANNED_ROUTES, routeChoices: choices(PLANNED_ROUTES),
      };
    };
    app.get('/a/:authority/procurement/pipeline', { config: { action: 'procurement.manage' } }, async (req, reply) => reply.view(PIPELINE, { ...(await pipelineData(req)), values: {} }));
    const pipelineStep = (path: string, change: (req: FastifyRequest<Body>) => Promise<unknown>) =>
      app.post<Body>(`/a/:authority/procurement/pipeline/${path}`, { config: { action: 'procurement.manage' } }, async (req, reply) =>
        (await handleForm(reply, { template: PIPELINE, data: await pipelineData(req), values: req.body }, async () => {
          await change(req);
        })) ?? reply.redirect(`${base(req)}/pipeline`, 303),
      );
    pipelineStep('spend', (req) => procurementNotices.setExpectedSpend(actorOf(req), req.authority!.id, req.body));
    pipelineStep('planned', (req) => procurementNotices.addPlanned(actorOf(req), req.authority!.id, req.body));

    const PLANNED_FORM = 'procurement/views/planned-form.njk';
    const plannedData = async (req: FastifyRequest<PlannedParams>) => {
      const planned = await procurementNotices.getPlanned(req.authority!.id, req.params.planned);
      return { title: `Change ${planned.title}`, planned, routeChoices: choices(PLANNED_ROUTES) };
    };
    app.get<PlannedParams>('/a/:authority/procurement/pipeline/planned/:planned', { config: { action: 'procurement.manage' } }, async (req, reply) => {
      const data = await plannedData(req);
      const p = data.planned;
      return reply.view(PLANNED_FORM, { ...data, values: { title: p.title, cpvCode: p.cpvCode ?? '', estimatedValue: (p.estimatedValuePence / 100).toFixed(2), route: p.route, expectedNoticeOn: p.expectedNoticeOn } });
    });
    app.post<PlannedParams & Body>('/a/:authority/procurement/pipeline/planned/:planned', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: PLANNED_FORM, data: await plannedData(req), values: req.body }, () => procurementNotices.updatePlanned(actorOf(req), req.authority!.id, req.params.planned, req.body))) ??
      reply.redirect(`${base(req)}/pipeline`, 303),
    );

    const NOTICES = 'procurement/views/notices.njk';
    const noticesData = async (req: FastifyRequest) => {
      const today = londonToday();
      const entries = await procurementNotices.register(req.authority!.id, today);
      const unpublished = entries.filter((e) => !e.published).map((e) => [e.key, `${e.code} ${e.title}, ${e.subject.ref}, due ${e.dueOn}`] as [string, string]);
      return { title: 'Notices register', today, entries, overdueCount: entries.filter((e) => e.overdue).length, unpublishedChoices: unpublished };
    };
    app.get('/a/:authority/procurement/notices', { config: { action: 'procurement.manage' } }, async (req, reply) => reply.view(NOTICES, { ...(await noticesData(req)), values: {} }));
    app.post<Body>('/a/:authority/procurement/notices/published', { config: { action: 'procurement.manage' } }, async (req, reply) =>
      (await handleForm(reply, { template: NOTICES, data: await noticesData(req), values: req.body }, () => procurementNotices.recordPublished(actorOf(req), req.authority!.id, req.body))) ??
      reply.redirect(`${base(req)}/notices`, 303),
    );

    // ------------------------------------------------------------ API

    api.get('/api/v1/authorities/:authority/procurement-notices', {
      config: { action: 'procurement.manage' },
      schema: {
        tags: ['procurement'], summary: 'Every Procurement Act notice due from the council’s tenders, contracts and pipeline, earliest first', security: [{ bearerAuth: [] }],
        params: AuthorityParam, querystring: Type.Object(PageQuery), response: { 200: paged(NoticeJson), ...errorResponses },
      },
    }, async (req) => {
      const p = pageOf(req.query);
      const all = await procurementNotices.register(req.authority!.id);
      return { items: all.slice(p.offset, p.offset + p.limit).map(noticeJson), page: p.page, pageSize: p.pageSize, total: all.length };
    });

    api.get('/api/v1/authorities/:authority/tenders', {
      config: { action: 'public.view' },
      schema: { tags: ['procurement'], summary: 'Open opportunities to bid', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(TenderJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await procurement.listTenders(req.authority!.id, { openOnly: true })).map(tenderJson) }));

    api.get('/api/v1/authorities/:authority/tenders/:tender', {
      config: { action: 'public.view' },
      schema: {
        tags: ['procurement'], summary: 'A tender with its lots, criteria and published answers', params: TenderParamsSchema,
        response: { 200: Type.Object({ ...TenderJson.properties, lots: Type.Array(Type.String(), { description: 'The lots’ titles' }), lotDetails: Type.Array(LotJson), criteria: Type.Array(Type.Object({ kind: Type.String(), weight: Type.Integer(), method: Type.String() })), clarifications: Type.Array(Type.Object({ question: Type.String(), answer: Type.String() })) }), ...errorResponses },
      },
    }, async (req) => {
      const v = await procurement.getTender(req.authority!.id, req.params.tender);
      return {
        ...tenderJson(v.tender), lots: v.lots.map((l) => l.title),
        lotDetails: v.lots.map((l) => ({ id: l.id, position: l.position, title: l.title, valueExVatPence: l.valueExVatPence, awarded: v.awards.some((a) => a.lotId === l.id), notAwarded: l.notAwardedAt !== null })),
        criteria: v.criteria.map((c) => ({ kind: c.kind, weight: c.weight, method: CRITERION_KINDS[c.kind as keyof typeof CRITERION_KINDS].method })),
        clarifications: v.clarifications.filter((c) => c.answer).map((c) => ({ question: c.question, answer: c.answer! })),
      };
    });

    api.post('/api/v1/authorities/:authority/tenders/:tender/bids', {
      config: { action: 'procurement.bid' },
      schema: { tags: ['procurement'], summary: 'Submit a sealed bid (no one can read it before the deadline)', security: [{ bearerAuth: [] }], params: TenderParamsSchema, body: BidBody, response: { 201: Type.Object({ id: Type.String(), submittedAt: Type.String({ format: 'date-time' }) }), ...errorResponses } },
    }, async (req, reply: FastifyReply) => {
      const receipt = await procurement.submitBid(actorOf(req), req.authority!.id, (req.params as { tender: string }).tender, userId(req), req.body as Record<string, unknown>);
      return reply.code(201).send({ id: receipt.id, submittedAt: receipt.submittedAt.toISOString() });
    });

    api.get('/api/v1/authorities/:authority/contracts', {
      config: { action: 'public.view' },
      schema: { tags: ['procurement'], summary: 'The contracts register', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(ContractJson) }), ...errorResponses } },
    }, async (req) => ({
      items: (await procurement.listContracts(req.authority!.id)).map((c) => ({
        id: c.id, ref: c.ref, title: c.title, serviceArea: c.serviceArea, supplier: { name: c.supplier.name, type: c.supplier.type, size: c.supplier.size, locality: c.supplier.locality },
        valuePence: c.currentValuePence, startsOn: c.startsOn, endsOn: c.currentEndsOn, tenderId: c.tenderId,
      })),
    }));
  };

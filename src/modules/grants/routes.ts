/** Grant programmes, applications, the panel, awards and 360Giving — pages and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { errorList, handleForm, userFixableErrors } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { can } from '../../lib/auth/policy.ts';
import { penceToPounds } from '../../lib/money.ts';
import { ORGANISATION_TYPES, SECTOR_GROUP_LABELS } from '../organisations/rules.ts';
import { percentOf } from '../../lib/percent.ts';
import { APPLICATION_STATUSES, GRANT_GROUPS, PROGRAMME_STATUSES, RECOMMENDATIONS, eligibilityInWords, maxTotal } from './rules.ts';
import { threeSixtyCsv, threeSixtyPackage } from './threesixty.ts';
import type { Programme } from './service.ts';

type Params = { programme?: string; application?: string; award?: string; return?: string };
type Req = FastifyRequest<{ Params: Params; Body: Record<string, unknown> }>;

const idOr404 = (id: string | undefined, what: string) => {
  if (!id || !isUuid(id)) throw new NotFoundError(`No such ${what}`);
  return id;
};
const GRANT_GROUP_LABELS = { ...SECTOR_GROUP_LABELS, local: 'In the borough or for it' } as const;
const poundsText = (pence: number | null) => (pence === null ? '' : (pence / 100).toFixed(2).replace(/\.00$/, ''));

const ProgrammeJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  prospectus: Type.String(),
  status: Type.String({ enum: Object.keys(PROGRAMME_STATUSES) }),
  deadline: Type.String({ format: 'date', description: 'Applications are accepted until the end of this day' }),
  minAmount: Type.Number({ description: 'Pounds' }),
  maxAmount: Type.Number({ description: 'Pounds' }),
  eligibility: Type.Object({
    organisationTypes: Type.Array(Type.String()),
    wardIds: Type.Array(Type.String()),
    maxAnnualIncome: Type.Union([Type.Number(), Type.Null()], { description: 'Pounds; null for any income' }),
  }),
  criteria: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), weight: Type.Integer() })),
  scoreMax: Type.Integer(),
});
const programmeJson = (p: Programme) => ({
  id: p.id,
  title: p.title,
  prospectus: p.prospectus,
  status: p.status,
  deadline: p.deadline,
  minAmount: penceToPounds(p.minAmountPence),
  maxAmount: penceToPounds(p.maxAmountPence),
  eligibility: { organisationTypes: p.eligibility.organisationTypes, wardIds: p.eligibility.wardIds, maxAnnualIncome: p.eligibility.maxAnnualIncomePence === null ? null : penceToPounds(p.eligibility.maxAnnualIncomePence) },
  criteria: p.criteria,
  scoreMax: p.scoreMax,
});
const ApplicationJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  programmeId: Type.String({ format: 'uuid' }),
  organisationId: Type.String({ format: 'uuid' }),
  status: Type.String({ enum: Object.keys(APPLICATION_STATUSES) }),
  missing: Type.Record(Type.String(), Type.String(), { description: 'What must be added or put right before it can be sent, by field' }),
});

export const grantsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { grants, places } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/grants`;
    const target = (req: FastifyRequest) => ({ authorityId: req.authority!.id });
    const wardChoices = async (authorityId: string, only: string[] = []) =>
      (await places.listWards(authorityId)).filter((w) => only.length === 0 || only.includes(w.id)).map((w) => [w.id, w.name] as [string, string]);
    const wardNames = async (authorityId: string) => new Map((await places.listWards(authorityId)).map((w) => [w.id, w.name]));

    // ------------------------------------------------------------ public
    app.get('/a/:authority/grants', { config: { action: 'public.view' } }, async (req, reply) => {
      const [programmes, awards] = await Promise.all([grants.listProgrammes(req.authority!.id), grants.listAwards(req.authority!.id)]);
      const mine = req.principal.userId ? await grants.applicationsOf(req.authority!.id, req.principal.userId) : [];
      return reply.view('grants/views/index.njk', {
        title: `Grants from ${req.authority!.name}`,
        programmes,
        awards: awards.slice(0, 200),
        awardCount: awards.length,
        awardTotalPence: awards.filter((a) => a.currency === 'GBP').reduce((s, a) => s + a.amountAwardedPence, 0),
        mine,
        statusLabels: { ...PROGRAMME_STATUSES, ...APPLICATION_STATUSES },
      });
    });

    app.get('/a/:authority/grants/diversity', { config: { action: 'public.view' } }, async (req, reply) => {
      const { rows, totals } = await grants.diversity(req.authority!);
      const bars = GRANT_GROUPS.map((g) => ({ key: g, label: GRANT_GROUP_LABELS[g], share: percentOf(totals.byGroup[g].amountPence, totals.amountPence), grantShare: percentOf(totals.byGroup[g].grants, totals.grants) }));
      return reply.view('grants/views/diversity.njk', { title: 'Who grant funding reaches', rows, totals, bars, groups: GRANT_GROUPS, groupLabels: GRANT_GROUP_LABELS, share: percentOf });
    });
    app.get('/a/:authority/grants/360giving.json', { config: { action: 'public.view' } }, async (req, reply) => {
      reply.header('content-disposition', `attachment; filename="${req.authority!.slug}-grants-360giving.json"`);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(threeSixtyPackage(await grants.grants(req.authority!.id)), null, 2));
    });
    app.get('/a/:authority/grants/360giving.csv', { config: { action: 'public.view' } }, async (req, reply) => {
      reply.header('content-disposition', `attachment; filename="${req.authority!.slug}-grants-360giving.csv"`);
      return reply.type('text/csv; charset=utf-8').send(threeSixtyCsv(await grants.grants(req.authority!.id)));
    });

    const programmePage = async (req: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const programme = await grants.getProgramme(req.authority!.id, idOr404(req.params.programme, 'grant programme'));
      const manage = can(req.principal, 'grants.manage', target(req));
      return reply.view('grants/views/programme.njk', {
        title: programme.title,
        programme,
        eligibility: eligibilityInWords(programme.eligibility, await wardNames(req.authority!.id)),
        refusal: grants.refusalToApply(programme),
        manage,
        applications: manage ? await grants.listApplications(req.authority!.id, programme.id) : [],
        statusLabels: { ...PROGRAMME_STATUSES, ...APPLICATION_STATUSES },
        maxTotal: maxTotal(programme.criteria, programme.scoreMax),
        ...extra,
      });
    };
    app.get<{ Params: Params }>('/a/:authority/grants/programmes/:programme', { config: { action: 'public.view' } }, (req, reply) => programmePage(req as Req, reply));

    // ------------------------------------------------------------ programmes (officers)
    const PROGRAMME_FORM = 'grants/views/programme-form.njk';
    const programmeFormData = async (req: FastifyRequest) => ({
      title: 'Set up a grant programme',
      typeChoices: Object.entries(ORGANISATION_TYPES) as [string, string][],
      wardChoices: await wardChoices(req.authority!.id),
    });
    app.get('/a/:authority/grants/programmes/new', { config: { action: 'grants.manage' } }, async (req, reply) =>
      reply.view(PROGRAMME_FORM, { ...(await programmeFormData(req)), values: { scoreMax: '5', criteria: 'Need in the area | 2\nDifference it will make | 2\nValue for money | 1' } }),
    );
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/grants/programmes', { config: { action: 'grants.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: PROGRAMME_FORM, data: await programmeFormData(req), values: req.body }, async () => {
          id = (await grants.createProgramme(actorOf(req), req.authority!.id, req.body)).id;
        })) ?? reply.redirect(`${base(req)}/programmes/${id}`, 303)
      );
    });
    app.post<{ Params: Params; Body: Record<string, unknown> }>('/a/:authority/grants/programmes/:programme/close', { config: { action: 'grants.manage' } }, async (req, reply) => {
      const id = idOr404(req.params.programme, 'grant programme');
      try {
        await grants.closeProgramme(actorOf(req), req.authority!.id, id, req.body?.reason);
      } catch (err) {
        const errors = userFixableErrors(err);
        if (!errors) throw err;
        return programmePage(req, reply.code(400), { errors, errorList: errorList(errors) });
      }
      return reply.redirect(`${base(req)}/programmes/${id}`, 303);
    });

    // ------------------------------------------------------------ applying
    const APPLY_FORM = 'grants/views/apply.njk';
    const applyData = async (req: Req) => {
      const programme = await grants.getProgramme(req.authority!.id, idOr404(req.params.programme, 'grant programme'));
      return {
        title: `Apply to ${programme.title}`,
        programme,
        refusal: grants.refusalToApply(programme),
        organisationChoices: await grants.organisationsOf(req.authority!.id, req.principal.userId!),
        wardChoices: [['', 'Choose a ward'], ...(await wardChoices(req.authority!.id, programme.eligibility.wardIds))],
      };
    };
    app.get<{ Params: Params }>('/a/:authority/grants/programmes/:programme/apply', { config: { action: 'grants.apply' } }, async (req, reply) => reply.view(APPLY_FORM, { ...(await applyData(req as Req)), values: {} }));
    app.post<{ Params: Params; Body: Record<string, unknown> }>('/a/:authority/grants/programmes/:programme/apply', { config: { action: 'grants.apply' } }, async (req, reply) => {
      const data = await applyData(req);
      let id = '';
      return (
        (await handleForm(reply, { template: APPLY_FORM, data, values: req.body }, async () => {
          id = (await grants.startApplication(actorOf(req), req.authority!.id, data.programme.id, req.principal.userId!, req.body ?? {})).id;
        })) ?? reply.redirect(`${base(req)}/applications/${id}`, 303)
      );
    });

    /** `typed`: what was sent in a form that failed, shown again over the stored answers. */
    const applicationPage = async (req: Req, reply: FastifyReply, extra: { errors?: Record<string, string>; errorList?: unknown[]; typed?: Record<string, unknown> } = {}) => {
      const view = await grants.applicationView(req.authority!.id, idOr404(req.params.application, 'application'));
      const manage = can(req.principal, 'grants.manage', target(req));
      const assess = can(req.principal, 'grants.assess', target(req));
      const userId = req.principal.userId!;
      // Only the applicant organisation's people and officers see an application; the panel sees it once it is sent.
      const panelMaySee = assess && view.application.status !== 'draft';
      if (!panelMaySee && !(await grants.mayView(req.authority!.id, view.application, userId, manage))) throw new NotFoundError('No such application');
      const { application, programme } = view;
      return reply.view('grants/views/application.njk', {
        title: application.title ?? `Application to ${programme.title}`,
        ...view,
        missingList: errorList(view.missing),
        isApplicant: application.applicantUserId === userId,
        manage,
        assess,
        hasAssessed: view.assessments.some((a) => a.assessorUserId === userId),
        refusal: grants.refusalToApply(programme),
        statusLabel: APPLICATION_STATUSES[application.status as keyof typeof APPLICATION_STATUSES],
        recommendationChoices: Object.entries(RECOMMENDATIONS) as [string, string][],
        wardChoices: [['', 'Choose a ward'], ...(await wardChoices(req.authority!.id, programme.eligibility.wardIds))],
        maxTotal: maxTotal(programme.criteria, programme.scoreMax),
        values: {
          title: application.title,
          summary: application.summary,
          amountRequested: poundsText(application.amountRequestedPence),
          wardId: application.wardId,
          annualIncome: poundsText(application.annualIncomePence),
          amount: poundsText(application.amountRequestedPence),
          ...extra.typed,
        },
        errors: extra.errors,
        errorList: extra.errorList,
      });
    };
    app.get<{ Params: Params }>('/a/:authority/grants/applications/:application', { config: { action: 'grants.apply' } }, (req, reply) => applicationPage(req as Req, reply));

    /** A form on an application's page: on a fixable error, the page again with the error summary and what was typed. */
    const applicationForm = (path: string, action: 'grants.apply' | 'grants.assess' | 'grants.manage', change: (req: Req) => Promise<unknown>) =>
      app.post<{ Params: Params; Body: Record<string, unknown> }>(`/a/:authority/grants/applications/:application${path}`, { config: { action } }, async (req, reply) => {
        const id = idOr404(req.params.application, 'application');
        try {
          await change(req);
        } catch (err) {
          const errors = userFixableErrors(err);
          if (!errors) throw err;
          return applicationPage(req, reply.code(400), { errors, errorList: errorList(errors), typed: req.body ?? {} });
        }
        return reply.redirect(`${base(req)}/applications/${id}`, 303);
      });
    applicationForm('', 'grants.apply', (req) => grants.updateDraft(actorOf(req), req.authority!.id, req.params.application!, req.principal.userId!, req.body ?? {}));
    applicationForm('/submit', 'grants.apply', (req) => grants.submit(actorOf(req), req.authority!.id, req.params.application!, req.principal.userId!));
    applicationForm('/assessment', 'grants.assess', (req) => grants.assess(actorOf(req), req.authority!.id, req.params.application!, req.principal.userId!, req.body ?? {}));
    applicationForm('/recommendation', 'grants.manage', (req) => grants.recommend(actorOf(req), req.authority!.id, req.params.application!, req.body ?? {}));
    app.post<{ Params: Params; Body: Record<string, unknown> }>('/a/:authority/grants/applications/:application/award', { config: { action: 'grants.manage' } }, async (req, reply) => {
      const id = idOr404(req.params.application, 'application');
      let awardId = '';
      try {
        awardId = (await grants.award(actorOf(req), req.authority!, id, req.body ?? {})).id;
      } catch (err) {
        const errors = userFixableErrors(err);
        if (!errors) throw err;
        return applicationPage(req, reply.code(400), { errors, errorList: errorList(errors), typed: req.body ?? {} });
      }
      return reply.redirect(`${base(req)}/awards/${awardId}`, 303);
    });

    // ------------------------------------------------------------ awards and monitoring returns
    const awardPage = async (req: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const { award, returns, organisationId } = await grants.getAward(req.authority!.id, idOr404(req.params.award, 'grant'));
      const manage = can(req.principal, 'grants.manage', target(req));
      const holder = organisationId !== null && (await grants.organisationsOf(req.authority!.id, req.principal.userId!)).some(([id]) => id === organisationId);
      // Conditions and returns are between the council and the grant holder; the grant itself is on the public page.
      if (!manage && !holder) throw new NotFoundError('No such grant');
      return reply.view('grants/views/award.njk', { title: `Grant: ${award.title}`, award, returns, manage, holder, values: {}, ...extra });
    };
    app.get<{ Params: Params }>('/a/:authority/grants/awards/:award', { config: { action: 'grants.apply' } }, (req, reply) => awardPage(req as Req, reply));
    const awardForm = (path: string, action: 'grants.apply' | 'grants.manage', change: (req: Req) => Promise<unknown>) =>
      app.post<{ Params: Params; Body: Record<string, unknown> }>(`/a/:authority/grants/awards/:award${path}`, { config: { action } }, async (req, reply) => {
        const id = idOr404(req.params.award, 'grant');
        if (req.params.return !== undefined) idOr404(req.params.return, 'monitoring return');
        try {
          await change(req);
        } catch (err) {
          const errors = userFixableErrors(err);
          if (!errors) throw err;
          return awardPage(req, reply.code(400), { errors, errorList: errorList(errors), values: req.body ?? {} });
        }
        return reply.redirect(`${base(req)}/awards/${id}`, 303);
      });
    awardForm('/returns', 'grants.manage', (req) => grants.addReturn(actorOf(req), req.authority!.id, req.params.award!, req.body ?? {}));
    awardForm('/returns/:return', 'grants.apply', (req) => grants.submitReturn(actorOf(req), req.authority!.id, req.params.award!, req.params.return!, req.principal.userId!, req.body ?? {}));
    awardForm('/returns/:return/accept', 'grants.manage', (req) => grants.acceptReturn(actorOf(req), req.authority!.id, req.params.award!, req.params.return!));

    // ------------------------------------------------------------ 360Giving import (officers)
    const IMPORT_FORM = 'grants/views/import.njk';
    app.get('/a/:authority/grants/import', { config: { action: 'grants.manage' } }, async (_req, reply) => reply.view(IMPORT_FORM, { title: 'Import a 360Giving file', values: {} }));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/grants/import', { config: { action: 'grants.manage' } }, async (req, reply) => {
      let shown: FastifyReply | undefined;
      return (
        (await handleForm(reply, { template: IMPORT_FORM, data: { title: 'Import a 360Giving file' }, values: {} }, async () => {
          const file = req.body?.file;
          if (!Buffer.isBuffer(file) || file.length === 0) throw new ValidationError({ file: 'Choose a 360Giving JSON file to import' });
          const report = await grants.importFile(actorOf(req), req.authority!.id, { fileName: text(req.body.fileName) || 'Uploaded file', text: file.toString('utf8') });
          if (report.errors.length) {
            shown = reply.code(400).view(IMPORT_FORM, { title: 'Import a 360Giving file', values: {}, errors: { file: `Nothing was imported: ${report.errors.length} ${report.errors.length === 1 ? 'problem' : 'problems'} in the file, listed below` }, errorList: [{ text: 'Nothing was imported: the file has problems, listed below', href: '#file' }], report });
            return;
          }
          shown = reply.view('grants/views/import-done.njk', { title: report.added + report.updated === 0 ? 'This file was imported before' : 'Import complete', report });
        })) ?? shown
      );
    });

    // ------------------------------------------------------------ API
    api.get('/api/v1/authorities/:authority/grants/programmes', {
      config: { action: 'public.view' },
      schema: { tags: ['grants'], summary: 'Grant programmes: prospectus, eligibility, amounts and deadline', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(ProgrammeJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await grants.listProgrammes(req.authority!.id)).map(programmeJson) }));

    api.get('/api/v1/authorities/:authority/grants/360giving', {
      config: { action: 'public.view' },
      schema: {
        tags: ['grants'],
        summary: 'Every grant held, as a 360Giving 1.4.3 data package',
        params: AuthorityParam,
        response: { 200: Type.Object({ grants: Type.Array(Type.Object({}, { additionalProperties: true })) }, { description: 'https://standard.threesixtygiving.org/en/1.4.3/' }), ...errorResponses },
      },
    }, async (req) => threeSixtyPackage(await grants.grants(req.authority!.id)));

    api.post('/api/v1/authorities/:authority/grants/programmes/:programme/applications', {
      config: { action: 'grants.apply' },
      schema: {
        tags: ['grants'],
        security: [{ bearerAuth: [] }],
        summary: 'Start an application for an organisation you represent; the answer says what it still lacks',
        params: Type.Object({ authority: AuthorityParam.properties.authority, programme: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          organisationId: Type.String({ format: 'uuid' }),
          title: Type.Optional(Type.String({ maxLength: 200 })),
          summary: Type.Optional(Type.String({ maxLength: 10000 })),
          amountRequested: Type.Optional(Type.String({ description: 'Pounds, like 2500 or 2,500.00' })),
          wardId: Type.Optional(Type.String()),
          annualIncome: Type.Optional(Type.String({ description: 'Pounds' })),
        }),
        response: { 201: ApplicationJson, ...errorResponses },
      },
    }, async (req, reply) => {
      const application = await grants.startApplication(actorOf(req), req.authority!.id, req.params.programme, req.principal.userId!, req.body);
      const view = await grants.applicationView(req.authority!.id, application.id);
      return reply.code(201).send({ id: application.id, programmeId: application.programmeId, organisationId: application.organisationId, status: application.status, missing: view.missing });
    });
  };

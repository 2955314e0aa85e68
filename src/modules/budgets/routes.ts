/** Community budgets: rounds, proposals, ballots and results — pages and the API. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { actorOf } from '../../lib/http/actor.ts';
import { errorList, handleForm } from '../../lib/http/forms.ts';
import { AuthorityParam, errorResponses } from '../../lib/http/api.ts';
import { ConflictError, NotFoundError, ValidationError, text } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { can } from '../../lib/auth/policy.ts';
import { formatDate } from '../../lib/dates.ts';
import { BALLOT_KINDS, COMMITMENT_STATUSES, ELIGIBILITY_RULES, PHASES, PHASE_LABELS, PROPOSAL_STATUSES, acceptsProposals, countedCost, marksFromForm, nextPhase, phaseEnds, usesPoints, type BallotKind } from './rules.ts';
import { ruleChoices } from './count.ts';
import type { RoundView } from './service.ts';

const uuidOr404 = (id: string, what: string) => {
  if (!isUuid(id)) throw new NotFoundError(`No such ${what}`);
  return id;
};
const ballotKindChoices = Object.entries(BALLOT_KINDS).map(([k, v]) => [k, v.label]) as [string, string][];
const eligibilityChoices = Object.entries(ELIGIBILITY_RULES) as [string, string][];
const ROUND_FORM = 'budgets/views/round-form.njk';

/** The phases with their dates, for the timeline on a round's page. */
const timeline = (round: RoundView) =>
  PHASES.map((phase) => ({
    phase,
    label: PHASE_LABELS[phase],
    starts: round.schedule[phase] ? formatDate(round.schedule[phase]!) : null,
    ends: phaseEnds(round.schedule, phase) ? formatDate(phaseEnds(round.schedule, phase)!) : null,
    state: PHASES.indexOf(phase) < PHASES.indexOf(round.phaseNow) ? 'done' : phase === round.phaseNow ? 'now' : 'later',
  }));

const RoundJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  description: Type.String(),
  phase: Type.String({ enum: [...PHASES] }),
  schedule: Type.Record(Type.String(), Type.String()),
  ballotKind: Type.String({ enum: Object.keys(BALLOT_KINDS) }),
  minChoices: Type.Integer(),
  maxChoices: Type.Union([Type.Integer(), Type.Null()]),
  maxPoints: Type.Union([Type.Integer(), Type.Null()]),
  countingRule: Type.String(),
  currency: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  areas: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), budgetPence: Type.Integer(), wardIds: Type.Array(Type.String()) })),
});
const ProposalJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ref: Type.String(),
  areaId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  costPence: Type.Integer({ description: 'The cost counted: officers’ revised cost where they gave one' }),
  status: Type.String({ enum: Object.keys(PROPOSAL_STATUSES) }),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
});
const ResultJson = Type.Object({
  areaId: Type.String(),
  rule: Type.String(),
  winners: Type.Array(Type.String()),
  spentPence: Type.Integer(),
  ballotsCounted: Type.Integer(),
  paperSuperseded: Type.Integer(),
  projects: Type.Array(Type.Object({ proposalId: Type.String(), ref: Type.String(), costPence: Type.Integer(), support: Type.Integer(), won: Type.Boolean(), note: Type.String() })),
});
const NullableDate = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
const CommitmentJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  proposalId: Type.String({ format: 'uuid' }),
  title: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()], { description: 'The organisation delivering it; null when the council does' }),
  status: Type.String({ enum: Object.keys(COMMITMENT_STATUSES) }),
  percentComplete: Type.Integer({ minimum: 0, maximum: 100 }),
  dueOn: NullableDate,
  spendReference: Type.Union([Type.String(), Type.Null()]),
  milestones: Type.Array(Type.Object({ title: Type.String(), dueOn: NullableDate, doneOn: NullableDate })),
  updates: Type.Array(Type.Object({ postedOn: Type.String({ format: 'date' }), note: Type.String(), percentComplete: Type.Integer() })),
});
const RoundParams = Type.Object({ authority: AuthorityParam.properties.authority, round: Type.String({ format: 'uuid' }) });

const roundJson = (r: RoundView) => ({
  id: r.id,
  title: r.title,
  description: r.description,
  phase: r.phaseNow,
  schedule: r.schedule as Record<string, string>,
  ballotKind: r.ballotKind,
  minChoices: r.minChoices,
  maxChoices: r.maxChoices,
  maxPoints: r.maxPoints,
  countingRule: r.countingRule,
  currency: r.currency,
  source: r.source,
  areas: r.areas.map((a) => ({ id: a.id, name: a.name, budgetPence: a.budgetPence, wardIds: a.wardIds })),
});

export const budgetsRoutes =
  (services: Services): FastifyPluginAsync =>
  async (app) => {
    const { budgets, places } = services;
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `/a/${req.authority!.slug}/budgets`;

    const roundOf = (req: FastifyRequest<{ Params: { round: string } }>) => budgets.ensureCounted(req.authority!.id, uuidOr404(req.params.round, 'budget round'));
    /** The organisations someone may propose for: those they have a role in. */
    const organisationsOf = async (authorityId: string, userId: string) => (await services.organisationPeople.forUser(authorityId, userId)).map((o) => [o.organisationId, o.name] as [string, string]);
    const wardChoices = async (authorityId: string) => (await places.listWards(authorityId)).map((w) => [w.id, w.name] as [string, string]);
    const roundFormData = async (req: FastifyRequest) => ({
      title: 'Start a community budget round',
      ballotKindChoices,
      eligibilityChoices,
      ruleChoices: ruleChoices(),
      wardChoices: await wardChoices(req.authority!.id),
      phases: PHASES.map((p) => ({ phase: p, label: PHASE_LABELS[p] })),
    });

    app.get('/a/:authority/budgets', { config: { action: 'public.view' } }, async (req, reply) => {
      const rounds = await budgets.listRounds(req.authority!.id);
      return reply.view('budgets/views/list.njk', { title: `Community budgets in ${req.authority!.name}`, rounds, phaseLabels: PHASE_LABELS });
    });

    app.get('/a/:authority/budgets/new', { config: { action: 'budgets.manage' } }, async (req, reply) =>
      reply.view(ROUND_FORM, { ...(await roundFormData(req)), values: { ballotKind: 'approval', countingRule: 'mes_cost_add1_greedy', minChoices: '1', eligibility: ['member', 'lives_in_area'] } }),
    );

    app.post<{ Body: Record<string, unknown> }>('/a/:authority/budgets', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: ROUND_FORM, data: await roundFormData(req), values: req.body }, async () => {
          id = (await budgets.createRound(actorOf(req), req.authority!.id, req.body)).id;
        })) ?? reply.redirect(`${base(req)}/${id}`, 303)
      );
    });

    const IMPORT_FORM = 'budgets/views/import.njk';
    const importData = () => ({ title: 'Import a Pabulib election', ruleChoices: [['', 'The usual rule for its kind of ballot'], ...ruleChoices()] });
    app.get('/a/:authority/budgets/import', { config: { action: 'budgets.manage' } }, async (_req, reply) => reply.view(IMPORT_FORM, { ...importData(), values: {} }));
    app.post<{ Body: Record<string, unknown> }>('/a/:authority/budgets/import', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      let id = '';
      return (
        (await handleForm(reply, { template: IMPORT_FORM, data: importData(), values: { ...req.body, file: undefined } }, async () => {
          const file = req.body.file as Buffer | undefined;
          if (!Buffer.isBuffer(file) || file.length === 0) throw new ValidationError({ file: 'Choose a Pabulib .pb file to import' });
          const fileName = text((req.body as { fileName?: unknown }).fileName) || 'election.pb';
          id = (await budgets.importPb(actorOf(req), req.authority!.id, { fileName, text: file.toString('utf8'), countingRule: text(req.body.countingRule) || undefined, title: text(req.body.title) || undefined })).id;
        })) ?? reply.redirect(`${base(req)}/${id}/results`, 303)
      );
    });

    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round', { config: { action: 'public.view' } }, async (req, reply) => roundPage(req, reply));

    const roundPage = async (req: FastifyRequest<{ Params: { round: string } }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const round = await roundOf(req);
      const principal = req.principal;
      const target = { authorityId: req.authority!.id };
      const manage = can(principal, 'budgets.manage', target);
      const proposals = await budgets.listProposals(req.authority!.id, round.id, { publicOnly: !manage });
      const shown = manage ? proposals : proposals.filter((p) => p.status === 'feasible' || p.proposerUserId === principal.userId || round.phaseNow === 'ideas' || round.phaseNow === 'proposals');
      const own = principal.userId && round.phaseNow === 'voting' ? await budgets.ownBallot(round.id, principal.userId) : null;
      const next = nextPhase(round.phaseNow);
      return reply.view('budgets/views/round.njk', {
        title: round.title,
        round,
        timeline: timeline(round),
        phaseLabel: PHASE_LABELS[round.phaseNow],
        ruleLabel: ruleChoices().find(([key]) => key === round.countingRule)?.[1] ?? round.countingRule,
        proposals: shown.map((p) => ({ ...p, cost: countedCost(p), areaName: round.areas.find((a) => a.id === p.areaId)?.name })),
        statusLabels: PROPOSAL_STATUSES,
        ballotLabel: BALLOT_KINDS[round.ballotKind as BallotKind].label,
        eligibilityLabels: (round.eligibility as { kind: keyof typeof ELIGIBILITY_RULES; years?: number }[]).map((e) => (e.kind === 'minimum_age' ? `Is ${e.years ?? 16} or over (the voter declares it)` : ELIGIBILITY_RULES[e.kind])),
        manage,
        acceptsProposals: acceptsProposals(round.phaseNow),
        hasVoted: own !== null,
        next: next ? { phase: next, label: PHASE_LABELS[next] } : null,
        turnout: manage && round.phaseNow === 'voting' ? await budgets.turnout(round.id) : null,
        ...extra,
      });
    };

    app.post<{ Params: { round: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/phase', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      try {
        await budgets.advance(actorOf(req), req.authority!.id, round.id, req.body.phase, req.body.reason);
      } catch (err) {
        if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
        const errors = Object.keys(err.fields).length ? err.fields : { phase: err.message };
        return roundPage(req, reply.code(400), { errors, errorList: errorList(errors) });
      }
      return reply.redirect(`${base(req)}/${round.id}`, 303);
    });

    const AREA_FORM = 'budgets/views/area-form.njk';
    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/areas/new', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      return reply.view(AREA_FORM, { title: `Add an area to ${round.title}`, round, wardChoices: await wardChoices(req.authority!.id), values: {} });
    });
    app.post<{ Params: { round: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/areas', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      return (
        (await handleForm(reply, { template: AREA_FORM, data: { title: `Add an area to ${round.title}`, round, wardChoices: await wardChoices(req.authority!.id) }, values: req.body }, async () => {
          await budgets.addArea(actorOf(req), req.authority!.id, round.id, req.body);
        })) ?? reply.redirect(`${base(req)}/${round.id}`, 303)
      );
    });

    const PROPOSE_FORM = 'budgets/views/propose.njk';
    const proposeData = async (req: FastifyRequest, round: RoundView) => ({
      title: `Propose a project for ${round.title}`,
      round,
      areaChoices: round.areas.map((a) => [a.id, a.name]),
      wardChoices: [['', 'Not in one ward'], ...(await wardChoices(req.authority!.id))],
      organisationChoices: [['', 'Myself, as a resident'], ...(await organisationsOf(req.authority!.id, req.principal.userId!))],
    });
    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/proposals/new', { config: { action: 'budgets.take-part' } }, async (req, reply) => {
      const round = await roundOf(req);
      return reply.view(PROPOSE_FORM, { ...(await proposeData(req, round)), values: {} });
    });
    app.post<{ Params: { round: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/proposals', { config: { action: 'budgets.take-part' } }, async (req, reply) => {
      const round = await roundOf(req);
      let id = '';
      return (
        (await handleForm(reply, { template: PROPOSE_FORM, data: await proposeData(req, round), values: req.body }, async () => {
          const organisationId = text(req.body.organisationId) || null;
          const mine = await organisationsOf(req.authority!.id, req.principal.userId!);
          if (organisationId && !mine.some(([id]) => id === organisationId)) throw new ValidationError({ organisationId: 'Choose an organisation you belong to' });
          id = (await budgets.propose(actorOf(req), req.authority!.id, round.id, req.body, { userId: req.principal.userId!, organisationId })).id;
        })) ?? reply.redirect(`${base(req)}/${round.id}/proposals/${id}`, 303)
      );
    });

    app.get<{ Params: { round: string; id: string } }>('/a/:authority/budgets/:round/proposals/:id', { config: { action: 'public.view' } }, async (req, reply) => {
      const round = await roundOf(req);
      const proposal = await budgets.getProposal(req.authority!.id, round.id, uuidOr404(req.params.id, 'proposal'));
      const manage = can(req.principal, 'budgets.manage', { authorityId: req.authority!.id });
      if (proposal.status === 'withdrawn' && !manage) throw new NotFoundError('No such proposal');
      const pictures = await budgets.picturesOf(req.authority!.id, { proposalIds: [proposal.id] });
      return reply.view('budgets/views/proposal.njk', { title: proposal.title, round, proposal, pictures, cost: countedCost(proposal), statusLabels: PROPOSAL_STATUSES, manage, areaName: round.areas.find((a) => a.id === proposal.areaId)?.name });
    });

    const REVIEW_FORM = 'budgets/views/review.njk';
    app.get<{ Params: { round: string; id: string } }>('/a/:authority/budgets/:round/proposals/:id/review', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      const proposal = await budgets.getProposal(req.authority!.id, round.id, uuidOr404(req.params.id, 'proposal'));
      return reply.view(REVIEW_FORM, { title: `Review “${proposal.title}”`, round, proposal, values: { decision: proposal.status === 'submitted' ? undefined : proposal.status, reason: proposal.reviewReason } });
    });
    app.post<{ Params: { round: string; id: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/proposals/:id/review', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      const proposal = await budgets.getProposal(req.authority!.id, round.id, uuidOr404(req.params.id, 'proposal'));
      return (
        (await handleForm(reply, { template: REVIEW_FORM, data: { title: `Review “${proposal.title}”`, round, proposal }, values: req.body }, async () => {
          await budgets.review(actorOf(req), req.authority!.id, round.id, proposal.id, req.body);
        })) ?? reply.redirect(`${base(req)}/${round.id}`, 303)
      );
    });

    // ------------------------------------------------------------ ballots
    const BALLOT_FORM = 'budgets/views/ballot.njk';
    const ballotData = async (round: RoundView, voterWardId: string | null, extra: Record<string, unknown> = {}) => {
      const area = budgets.areaFor(round, voterWardId);
      const kind = round.ballotKind as BallotKind;
      return {
        title: `Vote: ${round.title}`,
        round,
        area,
        kind,
        usesPoints: usesPoints(kind),
        ballotLabel: BALLOT_KINDS[kind].label,
        projects: area ? await budgets.ballotProjects(round, area.id) : [],
        needsAge: (round.eligibility as { kind: string; years?: number }[]).find((e) => e.kind === 'minimum_age')?.years ?? null,
        ...extra,
      };
    };
    /** What was typed, with the ticked projects always a list (one tick arrives as a string). */
    const formValues = (body: Record<string, unknown>) => ({ ...body, choice: body.choice === undefined ? [] : [body.choice].flat() });
    const valuesFromChoices = (choices: { proposalId: string; points: number | null; rank: number | null }[], kind: BallotKind) => {
      const values: Record<string, unknown> = { choice: [] as string[] };
      for (const c of choices) {
        if (kind === 'ordinal') values[`rank.${c.proposalId}`] = String(c.rank);
        else if (usesPoints(kind)) values[`points.${c.proposalId}`] = String(c.points);
        else (values.choice as string[]).push(c.proposalId);
      }
      return values;
    };

    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/ballot', { config: { action: 'budgets.take-part' } }, async (req, reply) => {
      const round = await roundOf(req);
      const membership = await services.membership.forUser(req.authority!.id, req.principal.userId!);
      const own = await budgets.ownBallot(round.id, req.principal.userId!);
      return reply.view(BALLOT_FORM, await ballotData(round, membership?.wardId ?? null, { values: own ? valuesFromChoices(own.choices, round.ballotKind as BallotKind) : {}, hasVoted: own !== null }));
    });
    app.post<{ Params: { round: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/ballot', { config: { action: 'budgets.take-part' } }, async (req, reply) => {
      const round = await roundOf(req);
      const membership = await services.membership.forUser(req.authority!.id, req.principal.userId!);
      let replaced = false;
      return (
        (await handleForm(reply, { template: BALLOT_FORM, data: await ballotData(round, membership?.wardId ?? null), values: formValues(req.body) }, async () => {
          ({ replaced } = await budgets.castBallot(actorOf(req), req.authority!.id, round.id, {
            voterUserId: req.principal.userId!,
            channel: 'online',
            marks: marksFromForm(round.ballotKind as BallotKind, req.body),
            declaredMinimumAge: req.body.declaredMinimumAge === 'yes',
          }));
        })) ?? reply.view('budgets/views/ballot-done.njk', { title: replaced ? 'Your vote has been changed' : 'Your vote has been counted', round, replaced })
      );
    });

    const PAPER_FORM = 'budgets/views/paper-ballot.njk';
    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/paper-ballots/new', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      return reply.view(PAPER_FORM, await paperData(round, { values: {} }));
    });
    const paperData = async (round: RoundView, extra: Record<string, unknown>) => ({
      ...(await ballotData(round, null)),
      title: `Enter a paper ballot: ${round.title}`,
      // Every area's projects in one list: the voter's ward decides which area's ballot it is.
      projects: (await Promise.all(round.areas.map(async (a) => (await budgets.ballotProjects(round, a.id)).map((p) => ({ ...p, areaName: round.areas.length > 1 ? a.name : null }))))).flat(),
      paper: true,
      ...extra,
    });
    app.post<{ Params: { round: string }; Body: Record<string, unknown> }>('/a/:authority/budgets/:round/paper-ballots', { config: { action: 'budgets.manage' } }, async (req, reply) => {
      const round = await roundOf(req);
      return (
        (await handleForm(reply, { template: PAPER_FORM, data: await paperData(round, {}), values: formValues(req.body) }, async () => {
          const voter = await services.accounts.userByEmail(req.authority!.id, req.body.voterEmail);
          if (!voter) throw new ValidationError({ voterEmail: 'There is no one of this council with that email address. Ask them to join the co-operative first.' });
          await budgets.castBallot(actorOf(req), req.authority!.id, round.id, {
            voterUserId: voter.id,
            channel: 'paper',
            marks: marksFromForm(round.ballotKind as BallotKind, req.body),
            declaredMinimumAge: req.body.declaredMinimumAge === 'yes',
            officerVerified: req.body.officerVerified === 'yes',
            paperRef: text(req.body.paperRef).slice(0, 100) || null,
          });
        })) ?? reply.view(PAPER_FORM, await paperData(round, { values: {}, saved: true }))
      );
    });

    // ------------------------------------------------------------ results
    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/results', { config: { action: 'public.view' } }, async (req, reply) => {
      const round = await roundOf(req);
      const results = await budgets.results(req.authority!.id, round.id);
      const proposals = await budgets.listProposals(req.authority!.id, round.id);
      const titles = new Map(proposals.map((p) => [p.id, p.title]));
      return reply.view('budgets/views/results.njk', {
        title: `Results: ${round.title}`,
        round,
        areas: round.areas.map((area) => {
          const result = results.find((r) => r.areaId === area.id) ?? null;
          const most = Math.max(1, ...(result?.explanation.projects.map((p) => p.support) ?? [1]));
          return {
            area,
            result,
            rows: (result?.explanation.projects ?? []).map((p) => ({ ...p, title: titles.get(p.proposalId) ?? p.ref, share: Math.round((p.support / most) * 100) })),
            spentShare: result ? Math.min(100, Math.round((result.spentPence / area.budgetPence) * 100)) : 0,
          };
        }),
      });
    });

    app.get<{ Params: { round: string; area: string } }>('/a/:authority/budgets/:round/areas/:area/ballots.pb', { config: { action: 'public.view' } }, async (req, reply) => {
      const round = await roundOf(req);
      const file = await budgets.exportPb(req.authority!.id, round.id, uuidOr404(req.params.area, 'area'), req.authority!.name);
      return reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.text);
    });

    app.get<{ Params: { round: string; picture: string } }>('/a/:authority/budgets/:round/pictures/:picture', { config: { action: 'public.view' } }, async (req, reply) => {
      const picture = await budgets.picture(req.authority!.id, uuidOr404(req.params.round, 'budget round'), uuidOr404(req.params.picture, 'picture'));
      // Pictures never change once taken, so browsers may keep them.
      return reply.type(picture.contentType).header('cache-control', 'public, max-age=86400, immutable').send(Buffer.from(picture.bytes.buffer, picture.bytes.byteOffset, picture.bytes.byteLength));
    });

    // ------------------------------------------------------------ delivery
    const DELIVERY = 'budgets/views/delivery.njk';
    const COMMITMENT = 'budgets/views/commitment.njk';
    app.get<{ Params: { round: string } }>('/a/:authority/budgets/:round/delivery', { config: { action: 'public.view' } }, async (req, reply) => {
      const round = await roundOf(req);
      return reply.view(DELIVERY, { title: `Delivering: ${round.title}`, round, commitments: await budgets.listCommitments(req.authority!.id, round.id), statusLabels: COMMITMENT_STATUSES });
    });

    const commitmentPage = async (req: FastifyRequest<{ Params: { round: string; commitment: string } }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      const round = await roundOf(req);
      const commitment = await budgets.getCommitment(req.authority!.id, round.id, uuidOr404(req.params.commitment, 'project in delivery'));
      const manage = can(req.principal, 'budgets.manage', { authorityId: req.authority!.id });
      const photos = await budgets.picturesOf(req.authority!.id, { progressUpdateIds: commitment.updates.map((u) => u.id) });
      // The payment that paid for it, when the council's published spending names it.
      const payments = commitment.spendReference ? await services.transparency.paymentsByReference(req.authority!.id, commitment.spendReference) : [];
      return reply.view(COMMITMENT, {
        title: commitment.title,
        round,
        commitment,
        photos,
        payments,
        statusLabels: COMMITMENT_STATUSES,
        manage,
        ownerChoices: manage ? [['', 'The council'], ...(await services.organisations.choices(req.authority!.id))] : [],
        values: { ownerOrganisationId: commitment.ownerOrganisationId, dueOn: commitment.dueOn, spendReference: commitment.spendReference, percentComplete: String(commitment.percentComplete) },
        ...extra,
      });
    };
    app.get<{ Params: { round: string; commitment: string } }>('/a/:authority/budgets/:round/delivery/:commitment', { config: { action: 'public.view' } }, async (req, reply) => commitmentPage(req, reply));

    /** Officers' forms on a commitment's page: on a fixable error, the page again with the error summary. */
    const commitmentForm = (path: string, change: (req: FastifyRequest<{ Params: { round: string; commitment: string; milestone?: string }; Body: Record<string, unknown> }>) => Promise<void>) =>
      app.post<{ Params: { round: string; commitment: string; milestone?: string }; Body: Record<string, unknown> }>(`/a/:authority/budgets/:round/delivery/:commitment${path}`, { config: { action: 'budgets.manage' } }, async (req, reply) => {
        uuidOr404(req.params.commitment, 'project in delivery');
        try {
          await change(req);
        } catch (err) {
          if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
          const errors = Object.keys(err.fields).length ? err.fields : { form: err.message };
          return commitmentPage(req, reply.code(400), { errors, errorList: errorList(errors), values: req.body });
        }
        return reply.redirect(`${base(req)}/${req.params.round}/delivery/${req.params.commitment}`, 303);
      });
    commitmentForm('', (req) => budgets.setCommitmentDetails(actorOf(req), req.authority!.id, req.params.round, req.params.commitment, req.body));
    commitmentForm('/progress', (req) => budgets.reportProgress(actorOf(req), req.authority!.id, req.params.round, req.params.commitment, req.body));
    commitmentForm('/milestones', (req) => budgets.addMilestone(actorOf(req), req.authority!.id, req.params.round, req.params.commitment, req.body));
    commitmentForm('/milestones/:milestone/done', (req) => budgets.completeMilestone(actorOf(req), req.authority!.id, req.params.round, req.params.commitment, uuidOr404(req.params.milestone!, 'milestone')));

    // ------------------------------------------------------------ API
    api.get('/api/v1/authorities/:authority/budgets', {
      config: { action: 'public.view' },
      schema: { tags: ['budgets'], summary: 'Community budget rounds', params: AuthorityParam, response: { 200: Type.Object({ items: Type.Array(RoundJson) }), ...errorResponses } },
    }, async (req) => ({ items: (await budgets.listRounds(req.authority!.id)).map(roundJson) }));

    api.get('/api/v1/authorities/:authority/budgets/:round', {
      config: { action: 'public.view' },
      schema: { tags: ['budgets'], summary: 'A round with the proposals on its ballot', params: RoundParams, response: { 200: Type.Object({ ...RoundJson.properties, proposals: Type.Array(ProposalJson) }), ...errorResponses } },
    }, async (req) => {
      const round = await roundOf(req as FastifyRequest<{ Params: { round: string } }>);
      const proposals = (await budgets.listProposals(req.authority!.id, round.id, { publicOnly: true })).filter((p) => p.status === 'feasible' || acceptsProposals(round.phaseNow));
      return {
        ...roundJson(round),
        proposals: proposals.map((p) => ({ id: p.id, ref: p.ref, areaId: p.areaId, title: p.title, description: p.description, category: p.category, costPence: countedCost(p), status: p.status, reviewReason: p.reviewReason })),
      };
    });

    api.get('/api/v1/authorities/:authority/budgets/:round/delivery', {
      config: { action: 'public.view' },
      schema: { tags: ['budgets'], summary: 'The funded projects being delivered: who, by when, how far along, and their progress reports', params: RoundParams, response: { 200: Type.Object({ items: Type.Array(CommitmentJson) }), ...errorResponses } },
    }, async (req) => {
      const round = await roundOf(req as FastifyRequest<{ Params: { round: string } }>);
      return {
        items: (await budgets.listCommitments(req.authority!.id, round.id)).map((c) => ({
          id: c.id, proposalId: c.proposalId, title: c.title, owner: c.ownerName, status: c.status, percentComplete: c.percentComplete, dueOn: c.dueOn, spendReference: c.spendReference,
          milestones: c.milestones.map((m) => ({ title: m.title, dueOn: m.dueOn, doneOn: m.doneOn })),
          updates: c.updates.map((u) => ({ postedOn: u.postedOn, note: u.note, percentComplete: u.percentComplete })),
        })),
      };
    });

    api.get('/api/v1/authorities/:authority/budgets/:round/results', {
      config: { action: 'public.view' },
      schema: { tags: ['budgets'], summary: 'The count of each area, with why each project won or lost', params: RoundParams, response: { 200: Type.Object({ items: Type.Array(ResultJson) }), ...errorResponses } },
    }, async (req) => {
      const round = await roundOf(req as FastifyRequest<{ Params: { round: string } }>);
      const results = await budgets.results(req.authority!.id, round.id);
      return { items: results.map((r) => ({ areaId: r.areaId, rule: r.rule, winners: r.winners, spentPence: r.spentPence, ballotsCounted: r.ballotsCounted, paperSuperseded: r.paperSuperseded, projects: r.explanation.projects })) };
    });
  };

/**
 * Grants on a real database: an organisation applies, the panel scores and recommends, the
 * council awards with conditions and asks for returns, and the grant is published as 360Giving
 * that validates against the 1.4.3 schema. Real 360Giving files import with their counts and
 * totals; bad ones are reported by grant and field with nothing written; the same file twice
 * changes nothing.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { addDays, londonToday } from '../src/lib/dates.ts';
import { latestAuditSeq } from '../src/lib/audit/audit.ts';
import { authorities } from '../src/modules/places/tables.ts';
import { grantProgrammes } from '../src/modules/grants/tables.ts';
import { CSV_HEADINGS } from '../src/modules/grants/threesixty.ts';
import type { Authority } from '../src/modules/places/service.ts';
import { expectFormErrors, h1, newAuthority, newUser, signedInAs, startTestApp, TEST_ACTOR, type TestContext, refusalOf } from './helpers.ts';

const STANDARD = fileURLToPath(new URL('../../shared/data/standards/360giving-1.4.3/', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../shared/data/samples/360giving/', import.meta.url));
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The 1.4.3 package validator. The files say http:// for draft 2020-12, which Ajv knows only as https://. */
function packageValidator() {
  const load = (name: string) => {
    const schema = JSON.parse(fs.readFileSync(STANDARD + name, 'utf8')) as Record<string, unknown>;
    return { ...schema, $schema: 'https://json-schema.org/draft/2020-12/schema' };
  };
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema(load('360-giving-schema.json'));
  return ajv.compile(load('360-giving-package-schema.json'));
}

const expectValid = (data: unknown) => {
  const validate = packageValidator();
  const ok = validate(data);
  expect(validate.errors?.slice(0, 5) ?? [], 'valid against 360Giving 1.4.3').toEqual([]);
  expect(ok).toBe(true);
};

const problem = (f: () => Promise<unknown>) => refusalOf(f());

/** Each sample's count and total, added up here straight from the file (amounts in pence, each rounded once). */
const independently = (file: string) => {
  const grants = (JSON.parse(fs.readFileSync(SAMPLES + file, 'utf8')) as { grants: { amountAwarded: number }[] }).grants;
  return { grants: grants.length, pence: grants.reduce((sum, g) => sum + Math.round(g.amountAwarded * 100), 0) };
};

describe('grants', () => {
  let ctx: TestContext;
  let authority: Authority;
  let officer: Awaited<ReturnType<typeof newUser>>;
  let rep: Awaited<ReturnType<typeof newUser>>;
  let councillor: Awaited<ReturnType<typeof newUser>>;
  let partner: Awaited<ReturnType<typeof newUser>>;
  let trustee: Awaited<ReturnType<typeof newUser>>;
  let organisationId: string;
  let wardId: string;
  let wardCode: string;
  const actor = (u: { id: string }, role: string) => ({ userId: u.id, role, via: 'web' as const });

  beforeAll(async () => {
    ctx = await startTestApp();
    const { services } = ctx;
    authority = await newAuthority(services);
    officer = await newUser(services, authority.id, 'officer');
    rep = await newUser(services, authority.id, 'community_rep');
    councillor = await newUser(services, authority.id, 'councillor');
    partner = await newUser(services, authority.id, 'partner_officer');
    trustee = await newUser(services, authority.id, 'councillor');
    const organisation = await services.organisations.create(TEST_ACTOR, authority.id, { name: 'Stockwell Lunch Club', type: 'charity', charityNumber: '1123456' });
    organisationId = organisation.id;
    await services.organisationPeople.add(TEST_ACTOR, authority.id, organisationId, { email: rep.email, roleTitle: 'Secretary' });
    await services.organisationPeople.add(TEST_ACTOR, authority.id, organisationId, { email: trustee.email, roleTitle: 'Trustee' });
    const [ward] = await services.places.listWards(authority.id);
    wardId = ward!.id;
    wardCode = ward!.gssCode;
  });
  afterAll(() => ctx.close());

  const newProgramme = (over: Record<string, unknown> = {}) =>
    ctx.services.grants.createProgramme(actor(officer, 'officer'), authority.id, {
      title: 'Equality and cohesion fund',
      prospectus: 'Small grants for work that brings neighbours together.',
      minAmount: '500',
      maxAmount: '5,000',
      deadline: addDays(londonToday(), 30),
      organisationTypes: ['charity', 'voluntary_community'],
      wardIds: [wardId],
      maxAnnualIncome: '50,000',
      criteria: 'Need in the area | 2\nValue for money | 1',
      ...over,
    });

  it('an organisation applies, the panel scores and recommends, the council awards, and the grant is published as valid 360Giving', async () => {
    const { services, app } = ctx;
    const programme = await newProgramme();
    const browser = await signedInAs(app, rep);
    const started = await browser.submit(`/a/${authority.slug}/grants/programmes/${programme.id}/apply`, `/a/${authority.slug}/grants/programmes/${programme.id}/apply`, { organisationId, title: 'Lunch club' });
    expect(started.statusCode).toBe(303);
    const url = started.headers.location as string;

    // The draft says what is missing before it can be sent; sending it anyway names each field.
    const draft = await browser.get(url);
    expect(draft.body).toContain('Still to do before you can send it');
    const refused = await browser.submit(url, `${url}/submit`, {});
    expect(refused.statusCode).toBe(400);
    expectFormErrors(refused.body, {
      summary: 'Say what the grant would pay for and who it would help, in at least 20 characters',
      amountRequested: 'Enter how much you are asking for',
      wardId: 'Select the ward the work will benefit',
      annualIncome: 'Enter your organisation’s income in its last financial year',
    });
    const saved = await browser.submit(url, url, { title: 'Lunch club', summary: 'Hot lunches twice a week for isolated older residents.', amountRequested: '2,500', wardId, annualIncome: '18,000' });
    expect(saved.statusCode).toBe(303);
    expect((await browser.submit(url, `${url}/submit`, {})).statusCode).toBe(303);
    const applicationId = url.split('/').at(-1)!;
    expect((await services.grants.getApplication(authority.id, applicationId)).status).toBe('submitted');

    // Assessors score on their own; anyone in the organisation may only declare a conflict.
    const assess = (u: { id: string }, body: Record<string, unknown>) => services.grants.assess(actor(u, 'councillor'), authority.id, applicationId, u.id, body);
    expect((await problem(() => services.grants.recommend(actor(officer, 'officer'), authority.id, applicationId, { recommendation: 'recommended', reason: 'Strong local need shown.' }))).fields).toEqual({ recommendation: 'At least one assessor without a conflict of interest must score it first' });
    expect((await problem(() => assess(trustee, { 'score-c1': '5', 'score-c2': '5' }))).fields).toEqual({ conflict: 'You have a role in the applicant organisation: declare the conflict of interest instead of scoring' });
    await assess(trustee, { conflict: 'yes', conflictNote: 'I am a trustee of the club' });
    expect((await problem(() => assess(councillor, { 'score-c1': '6', 'score-c2': '3' }))).fields).toEqual({ 'score-c1': 'Score “Need in the area” as a whole number from 0 to 5' });
    await assess(councillor, { 'score-c1': '4', 'score-c2': '3' });
    expect((await problem(() => assess(councillor, { 'score-c1': '1', 'score-c2': '1' }))).message).toBe('You have already assessed this application');
    await assess(partner, { 'score-c1': '5', 'score-c2': '2' });
    const view = await services.grants.applicationView(authority.id, applicationId);
    expect(view.panel).toEqual({ scored: 2, conflicts: 1, meanTotal: 11.5, meanByCriterion: { c1: 4.5, c2: 2.5 } });

    // An award needs the panel's recommendation, an amount in range and conditions.
    expect((await problem(() => services.grants.award(actor(officer, 'officer'), authority, applicationId, { amount: '2500', conditions: 'Report after six months.' }))).message).toBe('Only an application the panel recommended can be awarded');
    await services.grants.recommend(actor(officer, 'officer'), authority.id, applicationId, { recommendation: 'recommended', reason: 'Strong local need shown, good value.' });
    const officerBrowser = await signedInAs(app, officer);
    const badAward = await officerBrowser.submit(url, `${url}/award`, { amount: '9000', conditions: '' });
    expectFormErrors(badAward.body, { amount: 'Award between £500 and £5,000', conditions: 'Set out the conditions of the grant' });
    const awarded = await officerBrowser.submit(url, `${url}/award`, { amount: '2,400', conditions: 'Spend on food and venue hire only; report after six months.', plannedStart: '2027-01-01', plannedEnd: '2027-12-31' });
    expect(awarded.statusCode).toBe(303);
    const awardUrl = awarded.headers.location as string;

    // Monitoring: the council asks for a return, the grant holder sends it, the council accepts it.
    const awardId = awardUrl.split('/').at(-1)!;
    const ret = await services.grants.addReturn(actor(officer, 'officer'), authority.id, awardId, { title: 'Six-month report', dueOn: '2027-07-01' });
    expect((await problem(() => services.grants.acceptReturn(actor(officer, 'officer'), authority.id, awardId, ret.id))).message).toBe('This return has not been sent yet');
    expect((await problem(() => services.grants.submitReturn(actor(councillor, 'councillor'), authority.id, awardId, ret.id, councillor.id, { report: 'Not my organisation at all.' }))).fields).toHaveProperty('report');
    expect((await browser.submit(awardUrl, `${awardUrl}/returns/${ret.id}`, { report: '48 lunches served, 19 regulars.' })).statusCode).toBe(303);
    await services.grants.acceptReturn(actor(officer, 'officer'), authority.id, awardId, ret.id);
    const { returns } = await services.grants.getAward(authority.id, awardId);
    expect(returns[0]).toMatchObject({ report: '48 lunches served, 19 regulars.', submittedAt: expect.any(Date), acceptedAt: expect.any(Date) });

    // Published: the council's org-id as funder, the charity's as recipient, the ward's GSS code as where.
    const json = await app.inject({ method: 'GET', url: `/a/${authority.slug}/grants/360giving.json` });
    const pkg = JSON.parse(json.body) as { grants: Record<string, unknown>[] };
    expectValid(pkg);
    expect(pkg.grants).toEqual([
      {
        id: `360G-coproduce-${authority.slug}-${awardId}`,
        title: 'Lunch club',
        description: 'Hot lunches twice a week for isolated older residents.',
        currency: 'GBP',
        amountAwarded: 2400,
        amountAppliedFor: 2500,
        awardDate: londonToday(),
        plannedDates: [{ startDate: '2027-01-01', endDate: '2027-12-31' }],
        recipientOrganization: [{ id: 'GB-CHC-1123456', name: 'Stockwell Lunch Club', charityNumber: '1123456' }],
        beneficiaryLocation: [{ name: view.ward!.name, geoCode: wardCode, geoCodeType: 'WD', countryCode: 'GB' }],
        fundingOrganization: [{ id: 'GB-LAE-LBH', name: authority.name }],
        grantProgramme: [{ title: 'Equality and cohesion fund' }],
        dateModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    const api = await app.inject({ method: 'GET', url: `/api/v1/authorities/${authority.slug}/grants/360giving` });
    expect(JSON.parse(api.body)).toEqual(pkg);
    const csv = await app.inject({ method: 'GET', url: `/a/${authority.slug}/grants/360giving.csv` });
    expect(csv.body.split('\r\n')[0]).toBe(CSV_HEADINGS.join(','));
    expect(csv.body).toContain(`,2500,2400,${londonToday()},2027-01-01,2027-12-31,,GB-CHC-1123456,Stockwell Lunch Club,1123456,`);
    const page = await app.inject({ method: 'GET', url: `/a/${authority.slug}/grants` });
    expect(page.body).toContain('Stockwell Lunch Club');
    expect(page.body).toContain('£2,400.00');

    // Counted as the charity it registered as, and local by the ward it benefits.
    const reached = await services.grants.diversity(authority);
    expect(reached.totals.byGroup).toEqual({ vcs: { grants: 1, amountPence: 2_400_00 }, social_enterprise: { grants: 0, amountPence: 0 }, mutual: { grants: 0, amountPence: 0 }, local: { grants: 1, amountPence: 2_400_00 } });

    // Everyone else sees the published grant, not the application or its conditions.
    const stranger = await signedInAs(app, await newUser(services, authority.id, 'resident'));
    expect((await stranger.get(url)).statusCode).toBe(404);
    expect((await stranger.get(awardUrl)).statusCode).toBe(404);
  });

  it('refuses a late application with a clear message, counting the deadline day itself', async () => {
    const { services, app } = ctx;
    const today = londonToday();
    const onTheDay = await newProgramme({ title: 'Closes today', deadline: today });
    const draft = await services.grants.startApplication(actor(rep, 'community_rep'), authority.id, onTheDay.id, rep.id, { organisationId, title: 'On the day', summary: 'Sent on the last day the programme is open.', amountRequested: '1000', wardId, annualIncome: '1000' });
    // The deadline passes while the draft waits.
    await ctx.database.db.update(grantProgrammes).set({ deadline: addDays(today, -1) }).where(eq(grantProgrammes.id, onTheDay.id));
    const late = await problem(() => services.grants.submit(actor(rep, 'community_rep'), authority.id, draft.id, rep.id));
    expect(late.message).toMatch(/^Closes today closed for applications at the end of \d{1,2} \w+ \d{4}, so this application cannot be sent$/);
    const browser = await signedInAs(app, rep);
    const page = await browser.get(`/a/${authority.slug}/grants/applications/${draft.id}`);
    expect(page.body).toContain('closed for applications at the end of');
    expect(page.body).not.toContain('Send the application');
    const apply = await browser.get(`/a/${authority.slug}/grants/programmes/${onTheDay.id}/apply`);
    expect(apply.body).toContain('closed for applications at the end of');
    expect((await services.grants.getApplication(authority.id, draft.id)).status).toBe('draft');
    // A draft is the organisation's own until it is sent: not even the panel sees it.
    expect((await (await signedInAs(app, councillor)).get(`/a/${authority.slug}/grants/applications/${draft.id}`)).statusCode).toBe(404);
  });

  it('refuses applicants who do not represent the organisation, and organisations the programme is not for', async () => {
    const { services } = ctx;
    const programme = await newProgramme({ title: 'For community groups only', organisationTypes: ['voluntary_community'] });
    expect((await problem(() => services.grants.startApplication(actor(councillor, 'councillor'), authority.id, programme.id, councillor.id, { organisationId }))).fields).toHaveProperty('organisationId');
    const draft = await services.grants.startApplication(actor(rep, 'community_rep'), authority.id, programme.id, rep.id, { organisationId, title: 'A charity tries', summary: 'A charity applying to a fund for community groups.', amountRequested: '1000', wardId, annualIncome: '1000' });
    expect((await problem(() => services.grants.submit(actor(rep, 'community_rep'), authority.id, draft.id, rep.id))).fields).toEqual({ organisationId: 'This programme is not open to a charity' });
  });

  it('the API lists programmes and starts an application, answering what it lacks, with field errors for bad input', async () => {
    const { services, app } = ctx;
    const programme = await newProgramme({ title: 'API fund' });
    const listed = await app.inject({ method: 'GET', url: `/api/v1/authorities/${authority.slug}/grants/programmes` });
    expect((listed.json() as { items: { title: string; minAmount: number; maxAmount: number; eligibility: { maxAnnualIncome: number } }[] }).items.find((p) => p.title === 'API fund')).toMatchObject({ minAmount: 500, maxAmount: 5000, eligibility: { maxAnnualIncome: 50000 } });
    const token = (await services.accounts.createApiToken(TEST_ACTOR, rep.id, 'grants')).token;
    const url = `/api/v1/authorities/${authority.slug}/grants/programmes/${programme.id}/applications`;
    const started = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: { organisationId, title: 'From the API', amountRequested: '9,000' } });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ status: 'draft', missing: { amountRequested: 'Ask for between £500 and £5,000', summary: expect.any(String), wardId: expect.any(String), annualIncome: expect.any(String) } });
    const bad = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: { organisationId, amountRequested: 'lots' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String), fields: { amountRequested: 'Enter the amount in pounds, like 2,500' } } });
  });

  describe('360Giving files', () => {
    let importer: Authority;
    beforeAll(async () => {
      importer = await newAuthority(ctx.services, 'Import Borough');
    });

    it.each([
      ['baring-foundation_2016-snapshot.json', 53, 2_086_937_00],
      ['covid19-tracker_multi-funder_2020-04-08.json', 79, 5_231_206_85],
      ['oxfordshire-community-foundation_2016-snapshot.json', 156, 169_821_67],
    ])('%s imports whole: %i grants, %i pence', async (file, grants, pence) => {
      expect(independently(file)).toEqual({ grants, pence });
      const report = await ctx.services.grants.importFile(TEST_ACTOR, importer.id, { fileName: file, text: fs.readFileSync(SAMPLES + file, 'utf8') });
      expect(report.errors).toEqual([]);
      expect({ grants: report.grants, added: report.added, pence: report.amountAwarded.GBP }).toEqual({ grants, added: grants, pence });

      // Again: nothing changes, not even the audit log.
      const seqOf = async () => (await ctx.database.db.select({ seq: latestAuditSeq() }).from(authorities).where(eq(authorities.id, importer.id)))[0]!.seq;
      const before = await seqOf();
      const again = await ctx.services.grants.importFile(TEST_ACTOR, importer.id, { fileName: file, text: fs.readFileSync(SAMPLES + file, 'utf8') });
      expect({ added: again.added, updated: again.updated, unchanged: again.unchanged }).toEqual({ added: 0, updated: 0, unchanged: grants });
      expect(await seqOf()).toBe(before);
    });

    it('old files come out as valid 1.4.3: dates as YYYY-MM-DD, durations as numbers', async () => {
      const exported = (await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${importer.slug}/grants/360giving` })).json() as { grants: Record<string, unknown>[] };
      expect(exported.grants).toHaveLength(53 + 79 + 156);
      expectValid(exported);
      const aspire = exported.grants.find((g) => g.id === '360G-ocf-a06G000000OoOhx')!;
      expect(aspire).toMatchObject({ awardDate: '2013-09-27', plannedDates: [{ startDate: '2013-09-30', endDate: '2014-10-03' }], amountAwarded: 1914 });
      const comic = exported.grants.find((g) => g.id === '360G-baringfoundation-20130071')!;
      expect(comic).toMatchObject({ awardDate: '2014-03-17', plannedDates: [{ duration: 12 }], beneficiaryLocation: [{ name: 'Sub-Sahara Africa' }] });
    });

    it('shows who the grants reached: charities by number or register, and recipients in the borough by postcode', async () => {
      // Worked out from the files: a charity number or a charity register's org-id makes a grant
      // voluntary-sector; these three recipients' postcodes are in Lambeth (ONSPD), the others not.
      const IN_LAMBETH = new Set(['SE1 7TP', 'SW9 7AA', 'SW9 8DJ']);
      type Raw = { amountAwarded: number; recipientOrganization?: { id: string; charityNumber?: string; postalCode?: string }[] };
      const all = ['baring-foundation_2016-snapshot.json', 'covid19-tracker_multi-funder_2020-04-08.json', 'oxfordshire-community-foundation_2016-snapshot.json']
        .flatMap((file) => (JSON.parse(fs.readFileSync(SAMPLES + file, 'utf8')) as { grants: Raw[] }).grants);
      const tally = (keep: (g: Raw) => boolean) => {
        const kept = all.filter(keep);
        return { grants: kept.length, amountPence: kept.reduce((sum, g) => sum + Math.round(g.amountAwarded * 100), 0) };
      };
      const vcs = tally((g) => (g.recipientOrganization ?? []).some((r) => Boolean(r.charityNumber) || /^GB-(CHC|SC|NIC)-/i.test(r.id)));
      const local = tally((g) => (g.recipientOrganization ?? []).some((r) => IN_LAMBETH.has(r.postalCode ?? '')));
      expect(local.grants).toBe(3);

      const { totals, rows } = await ctx.services.grants.diversity(importer);
      expect({ grants: totals.grants, amountPence: totals.amountPence }).toEqual(tally(() => true));
      expect(totals.byGroup.vcs).toEqual(vcs);
      expect(totals.byGroup.local).toEqual(local);
      expect(totals.byGroup.mutual).toEqual({ grants: 0, amountPence: 0 });
      expect(rows.reduce((sum, r) => sum + r.grants, 0)).toBe(all.length);
      expect(rows.map((r) => r.year)).toEqual([...rows.map((r) => r.year)].sort().reverse());

      const page = await ctx.app.inject({ method: 'GET', url: `/a/${importer.slug}/grants/diversity` });
      expect(page.statusCode).toBe(200);
      expect(h1(page.body)).toBe('Who grant funding reaches');
      expect(page.body).toContain(`All grants (${all.length}, worth`);
    });

    it('a bad file is reported by grant and field, and nothing is written', async () => {
      const empty = await newAuthority(ctx.services, 'Empty Borough');
      const good = JSON.parse(fs.readFileSync(SAMPLES + 'covid19-tracker_multi-funder_2020-04-08.json', 'utf8')) as { grants: Record<string, unknown>[] };
      good.grants[3]!.awardDate = '03/17/2020';
      delete good.grants[10]!.fundingOrganization;
      const report = await ctx.services.grants.importFile(TEST_ACTOR, empty.id, { fileName: 'bad.json', text: JSON.stringify(good) });
      expect(report.errors).toEqual([
        `grant ${good.grants[3]!.id}: awardDate: "03/17/2020" is not day/month/year (there is no month 17); it may be month/day/year`,
        `grant ${good.grants[10]!.id}: fundingOrganization: no funder identifier and name given`,
      ]);
      expect(report.grants).toBe(0);
      expect(await ctx.services.grants.listAwards(empty.id)).toEqual([]);
    });

    it('the import page takes a file and says what it did', async () => {
      const officerHere = await newUser(ctx.services, importer.id, 'officer');
      const browser = await signedInAs(ctx.app, officerHere);
      const form = await browser.get(`/a/${importer.slug}/grants/import`);
      expect(h1(form.body)).toBe('Import a 360Giving file');
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const boundary = 'xGrantsBoundary';
      const payload = [
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="g.json"\r\nContent-Type: application/json\r\n\r\n{"grants":[{"id":"x"}]}\r\n`,
        `--${boundary}--\r\n`,
      ].join('');
      const res = await browser.request({ method: 'POST', url: `/a/${importer.slug}/grants/import`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('grant x: title: no title given');
    });
  });
});

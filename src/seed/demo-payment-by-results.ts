/**
 * The demo borough's payment by results: a Troubled Families phase 1 contract set up from the
 * template, with made-up families at different stages — turned around and paid, a job claim
 * waiting for approval, a claim rejected with its reason, and a family just attached.
 */
import type { Services } from '../services.ts';
import type { Actor } from '../lib/audit/audit.ts';
import type { Authority } from '../modules/places/service.ts';
import { TROUBLED_FAMILIES_PHASE_1 as TF } from '../modules/payment-by-results/frameworks.ts';

interface DemoPeople {
  officer: Actor;
  partner: Actor;
  providerOrganisationId: string;
}

const [EXCLUSIONS, ABSENCE, ASB, OFFENDING] = TF.outcomes[0]!.conditions.map((c) => c.measure) as [string, string, string, string];
const EMPLOYED = TF.outcomes[1]!.conditions[0]!.measure;
const TO_WORK = TF.outcomes.find((o) => o.key === 'progress_to_work')!.conditions[0]!.measure;

export async function seedDemoPaymentByResults(services: Services, authority: Authority, people: DemoPeople): Promise<void> {
  const pbr = services.paymentByResults;
  const contract = await pbr.createContract(people.officer, authority.id, {
    name: 'Lambeth Troubled Families programme (demo)',
    providerOrganisationId: people.providerOrganisationId,
    template: TF.key,
    startDate: TF.effectiveFrom,
    endDate: TF.effectiveTo,
    cohortLimit: '40',
  });
  const { outcomes } = await pbr.terms(authority.id, contract.id);
  const outcome = (key: string) => outcomes.find((o) => o.key === key)!.id;
  const family = (name: string, attachedOn: string, criteriaMet: string[]) =>
    pbr.addParticipant(people.officer, authority.id, contract.id, { name: `${name} (demo)`, caseReference: `DEMO-${attachedOn.slice(0, 4)}-${name.length}`, attachedOn, criteriaMet });
  const evidence = async (participantId: string, items: [measure: string, from: string, to: string, value: string, source: string][]) => {
    for (const [measure, periodStart, periodEnd, value, source] of items) {
      await pbr.recordEvidence(people.partner, authority.id, contract.id, participantId, { measure, periodStart, periodEnd, value, source: `${source} (demo)` });
    }
  };
  const claim = (participantId: string, key: string, claimDate: string) => pbr.makeClaim(people.partner, authority.id, contract.id, participantId, { outcomeId: outcome(key), claimDate });

  // Turned around in year 1: back in school, far less trouble. Paid £700 on top of the £3,200 fee.
  const rivers = await family('The Rivers family', '2012-10-01', ['youth_crime_asb', 'education', 'out_of_work']);
  await evidence(rivers.id, [
    [EXCLUSIONS, '2012-10-01', '2013-09-30', '0', 'School exclusions return'],
    [ABSENCE, '2012-10-01', '2013-09-30', '7.5', 'School attendance return'],
    [ASB, '2012-04-01', '2012-09-30', '12', 'Police ASB log'],
    [ASB, '2013-04-01', '2013-09-30', '3', 'Police ASB log'],
    [OFFENDING, '2012-04-01', '2012-09-30', '3', 'Youth Offending Service'],
    [OFFENDING, '2013-04-01', '2013-09-30', '1', 'Youth Offending Service'],
  ]);
  const paid = await claim(rivers.id, 'crime_education', '2013-10-14');
  await pbr.approveClaim(people.officer, authority.id, contract.id, paid.id);

  // Into work in year 2 after six months off benefits: £1,600 waiting for the officer's approval.
  const adeyemi = await family('The Adeyemi family', '2013-06-03', ['education', 'out_of_work', 'high_cost']);
  await evidence(adeyemi.id, [[EMPLOYED, '2013-09-02', '2014-03-01', '6', 'DWP benefit and earnings data']]);
  await claim(adeyemi.id, 'continuous_employment', '2014-03-10');

  // A Work Programme referral claimed, then rejected because the referral was not confirmed.
  const costa = await family('The Costa family', '2013-11-04', ['youth_crime_asb', 'education', 'high_cost']);
  await evidence(costa.id, [[TO_WORK, '2014-01-13', '2014-01-13', '1', 'Jobcentre Plus referral note']]);
  const rejected = await claim(costa.id, 'progress_to_work', '2014-01-20');
  await pbr.rejectClaim(people.officer, authority.id, contract.id, rejected.id, { reason: 'Jobcentre Plus could not confirm the referral. (Demo data.)' });

  // Just attached in year 3: nothing to claim yet.
  await family('The Novak family', '2014-05-12', ['youth_crime_asb', 'education', 'out_of_work', 'high_cost']);
}

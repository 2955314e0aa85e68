/**
 * The composition root: every service built once, from the database and config.
 * The web app and the CLI both start here, so they run the same code.
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './lib/db/client.ts';
import { Outbox } from './lib/outbox/outbox.ts';
import { PlacesService } from './modules/places/service.ts';
import { AccountsService } from './modules/accounts/service.ts';
import { OrganisationsService } from './modules/organisations/service.ts';
import { OrganisationPeopleService } from './modules/organisations/people.ts';
import { MembershipService } from './modules/membership/service.ts';
import { OutcomesService } from './modules/outcomes/service.ts';
import { CatalogueService } from './modules/catalogue/service.ts';
import { BudgetsService } from './modules/budgets/service.ts';
import { TransparencyService } from './modules/transparency/service.ts';
import { SuppliersService } from './modules/transparency/supplier-service.ts';
import { GrantsService } from './modules/grants/service.ts';
import { RightToChallengeService } from './modules/right-to-challenge/service.ts';
import { CommissioningService } from './modules/commissioning/service.ts';
import { PaymentByResultsService } from './modules/payment-by-results/service.ts';
import { PlaceBudgetsService } from './modules/place-budgets/service.ts';
import { ProcurementService } from './modules/procurement/service.ts';
import { OcdsService } from './modules/procurement/ocds-service.ts';
import { ProcurementNoticesService } from './modules/procurement/notices-service.ts';

export function createServices(database: Database, config: Config, logger: Logger) {
  const db = database.db;
  const outbox = new Outbox(db, { smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const places = new PlacesService(db);
  const accounts = new AccountsService(db, outbox, { sessionHours: config.sessionHours, baseUrl: config.baseUrl });
  const organisations = new OrganisationsService(db);
  const organisationPeople = new OrganisationPeopleService(db);
  const outcomes = new OutcomesService(db, places);
  const catalogue = new CatalogueService(db);
  const membership = new MembershipService(db, places, accounts);
  const budgets = new BudgetsService(db, { places, membership, accounts, outbox, organisations });
  const suppliers = new SuppliersService(db, { organisations });
  const transparency = new TransparencyService(db, { suppliers });
  const grants = new GrantsService(db, { places, organisations, organisationPeople });
  const rightToChallenge = new RightToChallengeService(db, { organisations, organisationPeople, catalogue, accounts, outbox });
  const commissioning = new CommissioningService(db, { catalogue });
  const paymentByResults = new PaymentByResultsService(db, { organisations });
  const placeBudgets = new PlaceBudgetsService(db, { accounts, organisations, outcomes });
  // Bid keys derive from a secret kept out of the database, required in production.
  const procurement = new ProcurementService(db, { organisations, organisationPeople, accounts, suppliers, outbox, sealSecret: config.bidSealingSecret });
  const ocds = new OcdsService(db, { procurement });
  const procurementNotices = new ProcurementNoticesService(db, { procurement });
  return { database, outbox, places, accounts, organisations, organisationPeople, outcomes, catalogue, membership, budgets, transparency, suppliers, grants, rightToChallenge, commissioning, paymentByResults, placeBudgets, procurement, ocds, procurementNotices };
}

export type Services = ReturnType<typeof createServices>;

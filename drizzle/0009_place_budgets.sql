CREATE TABLE "business_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"body" jsonb NOT NULL,
	"uncertainty_percent" integer DEFAULT 20 NOT NULL,
	"seed" integer DEFAULT 1 NOT NULL,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funding_streams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"budget_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ring_fenced_outcome_id" uuid,
	"first_year" integer NOT NULL,
	"last_year" integer NOT NULL,
	"clawback_terms" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"transaction_id" uuid NOT NULL,
	"stream_id" uuid NOT NULL,
	"account" text NOT NULL,
	"allocation_id" uuid,
	"amount_pence" bigint NOT NULL,
	CONSTRAINT "ledger_postings_account" CHECK ("ledger_postings"."account" in ('contributed', 'available', 'fund', 'allocated', 'spent')),
	CONSTRAINT "ledger_postings_nonzero" CHECK ("ledger_postings"."amount_pence" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"budget_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"stream_id" uuid NOT NULL,
	"allocation_id" uuid,
	"occurred_on" date NOT NULL,
	"description" text NOT NULL,
	"agreed_by" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pooled_allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"budget_id" uuid NOT NULL,
	"stream_id" uuid NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient" text NOT NULL,
	"business_case_id" uuid,
	"outcome_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pooled_budget_outcomes" (
	"authority_id" uuid NOT NULL,
	"budget_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	CONSTRAINT "pooled_budget_outcomes_budget_id_outcome_id_pk" PRIMARY KEY("budget_id","outcome_id")
);
--> statement-breakpoint
CREATE TABLE "pooled_budgets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"board_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"years" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "psb_boards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"name" text NOT NULL,
	"decision_rule" text NOT NULL,
	"lead_limit_pence" bigint,
	"open_book" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "psb_partners" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"board_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"is_lead" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "psb_representatives" (
	"authority_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "psb_representatives_partner_id_user_id_pk" PRIMARY KEY("partner_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "realised_savings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"business_case_id" uuid NOT NULL,
	"agency" text NOT NULL,
	"year" integer NOT NULL,
	"amount_pence" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_cases" ADD CONSTRAINT "business_cases_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_streams" ADD CONSTRAINT "funding_streams_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_streams" ADD CONSTRAINT "funding_streams_budget_id_pooled_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."pooled_budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_streams" ADD CONSTRAINT "funding_streams_partner_id_psb_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."psb_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_streams" ADD CONSTRAINT "funding_streams_ring_fenced_outcome_id_outcomes_id_fk" FOREIGN KEY ("ring_fenced_outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_stream_id_funding_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."funding_streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_allocation_id_pooled_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."pooled_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_budget_id_pooled_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."pooled_budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_stream_id_funding_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."funding_streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_allocation_id_pooled_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."pooled_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_allocations" ADD CONSTRAINT "pooled_allocations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_allocations" ADD CONSTRAINT "pooled_allocations_budget_id_pooled_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."pooled_budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_allocations" ADD CONSTRAINT "pooled_allocations_stream_id_funding_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."funding_streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_allocations" ADD CONSTRAINT "pooled_allocations_business_case_id_business_cases_id_fk" FOREIGN KEY ("business_case_id") REFERENCES "public"."business_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_allocations" ADD CONSTRAINT "pooled_allocations_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_budget_outcomes" ADD CONSTRAINT "pooled_budget_outcomes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_budget_outcomes" ADD CONSTRAINT "pooled_budget_outcomes_budget_id_pooled_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."pooled_budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_budget_outcomes" ADD CONSTRAINT "pooled_budget_outcomes_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_budgets" ADD CONSTRAINT "pooled_budgets_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooled_budgets" ADD CONSTRAINT "pooled_budgets_board_id_psb_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."psb_boards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_boards" ADD CONSTRAINT "psb_boards_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_partners" ADD CONSTRAINT "psb_partners_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_partners" ADD CONSTRAINT "psb_partners_board_id_psb_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."psb_boards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_partners" ADD CONSTRAINT "psb_partners_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_representatives" ADD CONSTRAINT "psb_representatives_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_representatives" ADD CONSTRAINT "psb_representatives_partner_id_psb_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."psb_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psb_representatives" ADD CONSTRAINT "psb_representatives_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realised_savings" ADD CONSTRAINT "realised_savings_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realised_savings" ADD CONSTRAINT "realised_savings_business_case_id_business_cases_id_fk" FOREIGN KEY ("business_case_id") REFERENCES "public"."business_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_postings_stream" ON "ledger_postings" USING btree ("stream_id","account");--> statement-breakpoint
CREATE INDEX "ledger_postings_transaction" ON "ledger_postings" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_transactions_budget" ON "ledger_transactions" USING btree ("budget_id","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "psb_boards_name" ON "psb_boards" USING btree ("authority_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "psb_partners_unique" ON "psb_partners" USING btree ("board_id","organisation_id");--> statement-breakpoint
CREATE INDEX "psb_representatives_user" ON "psb_representatives" USING btree ("authority_id","user_id");--> statement-breakpoint
CREATE INDEX "realised_savings_case" ON "realised_savings" USING btree ("business_case_id");--> statement-breakpoint
-- hand-written: ledger
-- Every ledger transaction balances: at commit (deferred, so its postings can be written one by one),
-- the postings of each transaction touched must sum to zero, and there must be at least two.
CREATE OR REPLACE FUNCTION ledger_postings_balance() RETURNS trigger AS $$
DECLARE
  total bigint;
  lines integer;
BEGIN
  SELECT coalesce(sum(amount_pence), 0), count(*) INTO total, lines FROM ledger_postings WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 OR lines < 2 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % postings summing to % pence', NEW.transaction_id, lines, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_postings_balance();
--> statement-breakpoint
-- The ledger is append-only, like the audit log: a mistake is put right by a new movement, never by rewriting one.
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_postings_no_update_delete BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_update_delete BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TABLE "pbr_attachment_fees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date NOT NULL,
	"fee_pence" bigint NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_claim_evidence" (
	"authority_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"role" text NOT NULL,
	"measure" text NOT NULL,
	CONSTRAINT "pbr_claim_evidence_claim_id_evidence_id_role_pk" PRIMARY KEY("claim_id","evidence_id","role")
);
--> statement-breakpoint
CREATE TABLE "pbr_claims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	"claim_date" date NOT NULL,
	"amount_pence" bigint NOT NULL,
	"status" text NOT NULL,
	"made_by" uuid,
	"made_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text
);
--> statement-breakpoint
CREATE TABLE "pbr_contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"name" text NOT NULL,
	"provider_organisation_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"template_key" text,
	"template_version" text,
	"eligibility" jsonb,
	"cohort_limit" integer,
	"participant_cap_pence" bigint,
	"contract_cap_pence" bigint,
	"pseudonym_prefix" text NOT NULL,
	"next_participant" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" text NOT NULL,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_outcomes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"conditions" jsonb NOT NULL,
	"exclusive_with" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_participant_identities" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"name" text NOT NULL,
	"case_reference" text
);
--> statement-breakpoint
CREATE TABLE "pbr_participants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"pseudonym" text NOT NULL,
	"attached_on" date NOT NULL,
	"criteria_met" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"claim_id" uuid,
	"kind" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pbr_tariffs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date NOT NULL,
	"tariff_pence" bigint NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pbr_attachment_fees" ADD CONSTRAINT "pbr_attachment_fees_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_attachment_fees" ADD CONSTRAINT "pbr_attachment_fees_contract_id_pbr_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."pbr_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claim_evidence" ADD CONSTRAINT "pbr_claim_evidence_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claim_evidence" ADD CONSTRAINT "pbr_claim_evidence_claim_id_pbr_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."pbr_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claim_evidence" ADD CONSTRAINT "pbr_claim_evidence_evidence_id_pbr_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."pbr_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_contract_id_pbr_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."pbr_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_participant_id_pbr_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."pbr_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_outcome_id_pbr_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."pbr_outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_made_by_users_id_fk" FOREIGN KEY ("made_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_claims" ADD CONSTRAINT "pbr_claims_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_contracts" ADD CONSTRAINT "pbr_contracts_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_contracts" ADD CONSTRAINT "pbr_contracts_provider_organisation_id_organisations_id_fk" FOREIGN KEY ("provider_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_evidence" ADD CONSTRAINT "pbr_evidence_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_evidence" ADD CONSTRAINT "pbr_evidence_participant_id_pbr_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."pbr_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_evidence" ADD CONSTRAINT "pbr_evidence_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_outcomes" ADD CONSTRAINT "pbr_outcomes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_outcomes" ADD CONSTRAINT "pbr_outcomes_contract_id_pbr_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."pbr_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_participant_identities" ADD CONSTRAINT "pbr_participant_identities_participant_id_pbr_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."pbr_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_participant_identities" ADD CONSTRAINT "pbr_participant_identities_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_participants" ADD CONSTRAINT "pbr_participants_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_participants" ADD CONSTRAINT "pbr_participants_contract_id_pbr_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."pbr_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_payments" ADD CONSTRAINT "pbr_payments_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_payments" ADD CONSTRAINT "pbr_payments_contract_id_pbr_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."pbr_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_payments" ADD CONSTRAINT "pbr_payments_participant_id_pbr_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."pbr_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_payments" ADD CONSTRAINT "pbr_payments_claim_id_pbr_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."pbr_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_payments" ADD CONSTRAINT "pbr_payments_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_tariffs" ADD CONSTRAINT "pbr_tariffs_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pbr_tariffs" ADD CONSTRAINT "pbr_tariffs_outcome_id_pbr_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."pbr_outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pbr_claims_contract" ON "pbr_claims" USING btree ("contract_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "pbr_claims_once" ON "pbr_claims" USING btree ("participant_id","outcome_id") WHERE status <> 'rejected';--> statement-breakpoint
CREATE INDEX "pbr_contracts_authority" ON "pbr_contracts" USING btree ("authority_id","created_at");--> statement-breakpoint
CREATE INDEX "pbr_evidence_participant" ON "pbr_evidence" USING btree ("participant_id","measure");--> statement-breakpoint
CREATE UNIQUE INDEX "pbr_outcomes_key" ON "pbr_outcomes" USING btree ("contract_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "pbr_participants_pseudonym" ON "pbr_participants" USING btree ("contract_id","pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "pbr_payments_claim" ON "pbr_payments" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pbr_payments_attachment" ON "pbr_payments" USING btree ("participant_id") WHERE kind = 'attachment';--> statement-breakpoint
-- hand-written: pbr
-- Evidence, the trail a claim rests on, and payments are never changed or removed once written:
-- a correction is new evidence, and a claim keeps pointing at what it was checked against.
CREATE OR REPLACE FUNCTION pbr_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER pbr_evidence_no_update_delete BEFORE UPDATE OR DELETE ON pbr_evidence
  FOR EACH ROW EXECUTE FUNCTION pbr_refuse_change();
--> statement-breakpoint
CREATE TRIGGER pbr_claim_evidence_no_update_delete BEFORE UPDATE OR DELETE ON pbr_claim_evidence
  FOR EACH ROW EXECUTE FUNCTION pbr_refuse_change();
--> statement-breakpoint
CREATE TRIGGER pbr_payments_no_update_delete BEFORE UPDATE OR DELETE ON pbr_payments
  FOR EACH ROW EXECUTE FUNCTION pbr_refuse_change();

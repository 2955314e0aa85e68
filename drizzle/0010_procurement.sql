CREATE TABLE "bid_members" (
	"authority_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	CONSTRAINT "bid_members_bid_id_supplier_id_pk" PRIMARY KEY("bid_id","supplier_id")
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"lead_supplier_id" uuid NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"sealed" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"made_on" date NOT NULL,
	"new_ends_on" date,
	"value_change_pence" bigint DEFAULT 0 NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_kpis" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"target" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"paid_on" date NOT NULL,
	"amount_pence" bigint NOT NULL,
	"reference" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"tender_id" uuid,
	"award_id" uuid,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"service_area" text NOT NULL,
	"supplier_id" uuid NOT NULL,
	"value_pence" bigint NOT NULL,
	"irrecoverable_vat_pence" bigint DEFAULT 0 NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"review_on" date,
	"procedure" text NOT NULL,
	"reserved_for_mutuals" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_scores" (
	"authority_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"criterion_id" uuid NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"note" text NOT NULL,
	"scored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluation_scores_bid_id_criterion_id_evaluator_id_pk" PRIMARY KEY("bid_id","criterion_id","evaluator_id")
);
--> statement-breakpoint
CREATE TABLE "evaluator_declarations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"conflicted" boolean NOT NULL,
	"details" text,
	"declared_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_end" date NOT NULL,
	"delivered" integer NOT NULL,
	"evidence" text NOT NULL,
	"checked_by" uuid,
	"checked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "moderated_scores" (
	"authority_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"criterion_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"reason" text NOT NULL,
	"moderated_by" uuid NOT NULL,
	"moderated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "moderated_scores_bid_id_criterion_id_pk" PRIMARY KEY("bid_id","criterion_id")
);
--> statement-breakpoint
CREATE TABLE "procurement_suppliers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"size" text NOT NULL,
	"locality" text NOT NULL,
	"delivers_mainly_light_touch" boolean DEFAULT false NOT NULL,
	"not_for_profit_or_members_only" boolean DEFAULT false NOT NULL,
	"employee_controlled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_value_measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"proxy_pence" bigint NOT NULL,
	"source" text NOT NULL,
	"effective_from" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tender_awards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone NOT NULL,
	"award_notice_on" date NOT NULL,
	"standstill_ends_on" date NOT NULL,
	"scores" jsonb NOT NULL,
	CONSTRAINT "tender_awards_tender_id_unique" UNIQUE("tender_id")
);
--> statement-breakpoint
CREATE TABLE "tender_clarifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"question" text NOT NULL,
	"asked_by" uuid NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tender_criteria" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"weight" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tender_lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"service_area" text NOT NULL,
	"cpv_code" text NOT NULL,
	"contract_type" text NOT NULL,
	"value_ex_vat_pence" bigint NOT NULL,
	"value_incl_vat_pence" bigint NOT NULL,
	"regime" text NOT NULL,
	"above_threshold" boolean NOT NULL,
	"notifiable" boolean NOT NULL,
	"threshold_pence" bigint NOT NULL,
	"threshold_source" text NOT NULL,
	"procedure" text NOT NULL,
	"reserved_for_mutuals" boolean DEFAULT false NOT NULL,
	"term_months" integer NOT NULL,
	"starts_on" date NOT NULL,
	"published_on" date NOT NULL,
	"clarifications_close_on" date NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"origin_kind" text,
	"origin_id" text,
	"award_notice_on" date,
	"cancelled_on" date,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bid_members" ADD CONSTRAINT "bid_members_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_members" ADD CONSTRAINT "bid_members_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_members" ADD CONSTRAINT "bid_members_supplier_id_procurement_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."procurement_suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_lead_supplier_id_procurement_suppliers_id_fk" FOREIGN KEY ("lead_supplier_id") REFERENCES "public"."procurement_suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_changes" ADD CONSTRAINT "contract_changes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_changes" ADD CONSTRAINT "contract_changes_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_kpis" ADD CONSTRAINT "contract_kpis_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_kpis" ADD CONSTRAINT "contract_kpis_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_kpis" ADD CONSTRAINT "contract_kpis_measure_id_social_value_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."social_value_measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_payments" ADD CONSTRAINT "contract_payments_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_payments" ADD CONSTRAINT "contract_payments_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_award_id_tender_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."tender_awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_supplier_id_procurement_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."procurement_suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_criterion_id_tender_criteria_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "public"."tender_criteria"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_evaluator_id_users_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_declarations" ADD CONSTRAINT "evaluator_declarations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_declarations" ADD CONSTRAINT "evaluator_declarations_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_declarations" ADD CONSTRAINT "evaluator_declarations_evaluator_id_users_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_reports" ADD CONSTRAINT "kpi_reports_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_reports" ADD CONSTRAINT "kpi_reports_kpi_id_contract_kpis_id_fk" FOREIGN KEY ("kpi_id") REFERENCES "public"."contract_kpis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_reports" ADD CONSTRAINT "kpi_reports_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderated_scores" ADD CONSTRAINT "moderated_scores_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderated_scores" ADD CONSTRAINT "moderated_scores_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderated_scores" ADD CONSTRAINT "moderated_scores_criterion_id_tender_criteria_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "public"."tender_criteria"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderated_scores" ADD CONSTRAINT "moderated_scores_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_suppliers" ADD CONSTRAINT "procurement_suppliers_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_suppliers" ADD CONSTRAINT "procurement_suppliers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_value_measures" ADD CONSTRAINT "social_value_measures_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_clarifications" ADD CONSTRAINT "tender_clarifications_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_clarifications" ADD CONSTRAINT "tender_clarifications_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_clarifications" ADD CONSTRAINT "tender_clarifications_asked_by_users_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_criteria" ADD CONSTRAINT "tender_criteria_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_criteria" ADD CONSTRAINT "tender_criteria_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bids_one_per_lead" ON "bids" USING btree ("tender_id","lead_supplier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_ref" ON "contracts" USING btree ("authority_id","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluator_declarations_once" ON "evaluator_declarations" USING btree ("tender_id","evaluator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "procurement_suppliers_organisation" ON "procurement_suppliers" USING btree ("authority_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tenders_ref" ON "tenders" USING btree ("authority_id","ref");--> statement-breakpoint
CREATE INDEX "tenders_closes" ON "tenders" USING btree ("authority_id","closes_at");--> statement-breakpoint
-- hand-written: procurement
-- Sealed bids in the database itself: a bid must arrive before its tender's deadline (stamped no
-- later than the database's clock, so it cannot be post-dated), and once in, it cannot be changed or
-- removed. A restore re-inserts bids with their real, on-time stamps, so it passes.
CREATE OR REPLACE FUNCTION bids_refuse_late() RETURNS trigger AS $$
BEGIN
  IF NEW.submitted_at > now() + interval '1 minute'
     OR NEW.submitted_at >= (SELECT closes_at FROM tenders WHERE id = NEW.tender_id) THEN
    RAISE EXCEPTION 'bid after the deadline for tender %', NEW.tender_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bids_on_time BEFORE INSERT ON bids FOR EACH ROW EXECUTE FUNCTION bids_refuse_late();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bids_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'bids are sealed: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bids_sealed BEFORE UPDATE OR DELETE ON bids FOR EACH ROW EXECUTE FUNCTION bids_refuse_change();

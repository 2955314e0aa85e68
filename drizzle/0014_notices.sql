CREATE TABLE "procurement_notice_publications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"notice_key" text NOT NULL,
	"published_on" date NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_spend" (
	"authority_id" uuid NOT NULL,
	"financial_year" integer NOT NULL,
	"expected_spend_pence" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pipeline_spend_authority_id_financial_year_pk" PRIMARY KEY("authority_id","financial_year")
);
--> statement-breakpoint
CREATE TABLE "planned_procurements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"cpv_code" text,
	"estimated_value_pence" bigint NOT NULL,
	"route" text NOT NULL,
	"expected_notice_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contract_payments" ADD COLUMN "invoice_received_on" date;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "ended_on" date;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "pme_carried_out" boolean;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "pme_on" date;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "uk2_published_on" date;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "no_uk2_reason" text;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "uk3_published_on" date;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "direct_award_ground" text;--> statement-breakpoint
ALTER TABLE "procurement_notice_publications" ADD CONSTRAINT "procurement_notice_publications_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_notice_publications" ADD CONSTRAINT "procurement_notice_publications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_spend" ADD CONSTRAINT "pipeline_spend_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_procurements" ADD CONSTRAINT "planned_procurements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "procurement_notice_publications_once" ON "procurement_notice_publications" USING btree ("authority_id","notice_key");--> statement-breakpoint
CREATE INDEX "planned_procurements_authority" ON "planned_procurements" USING btree ("authority_id","expected_notice_on");
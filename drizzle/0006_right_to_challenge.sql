CREATE TABLE "challenge_procurements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"expression_id" uuid NOT NULL,
	"service_id" uuid,
	"accepted_on" date NOT NULL,
	"earliest_start" date NOT NULL,
	"latest_start" date NOT NULL,
	"status" text NOT NULL,
	"started_on" date,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "challenge_settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"windows" jsonb NOT NULL,
	"timescale_notice_days" integer NOT NULL,
	"decision_period" jsonb NOT NULL,
	"procurement_min" jsonb NOT NULL,
	"procurement_max" jsonb NOT NULL,
	"warn_days" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expressions_of_interest" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"state" text NOT NULL,
	"created_by" uuid NOT NULL,
	"body_kind" text NOT NULL,
	"organisation_id" uuid,
	"group_name" text,
	"employee_count" integer,
	"not_for_profit" boolean DEFAULT false NOT NULL,
	"service_id" uuid,
	"area" text DEFAULT '' NOT NULL,
	"financial_resources" text DEFAULT '' NOT NULL,
	"capability_evidence" text DEFAULT '' NOT NULL,
	"outcomes" text DEFAULT '' NOT NULL,
	"well_being" text DEFAULT '' NOT NULL,
	"service_users" text DEFAULT '' NOT NULL,
	"employee_engagement" text DEFAULT '' NOT NULL,
	"partners" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_on" date,
	"received_on" date,
	"settings_id" uuid,
	"timescale_notice_deadline" jsonb,
	"decision_deadline" jsonb,
	"decide_by" date,
	"timescale_given_on" date,
	"consideration_started_on" date,
	"outcome" text,
	"grounds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasons" text,
	"modification" text,
	"decided_on" date,
	"body_agreed" boolean,
	"body_responded_on" date,
	"published_on" date,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "challenge_procurements" ADD CONSTRAINT "challenge_procurements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_procurements" ADD CONSTRAINT "challenge_procurements_expression_id_expressions_of_interest_id_fk" FOREIGN KEY ("expression_id") REFERENCES "public"."expressions_of_interest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_procurements" ADD CONSTRAINT "challenge_procurements_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_settings" ADD CONSTRAINT "challenge_settings_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expressions_of_interest" ADD CONSTRAINT "expressions_of_interest_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expressions_of_interest" ADD CONSTRAINT "expressions_of_interest_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expressions_of_interest" ADD CONSTRAINT "expressions_of_interest_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expressions_of_interest" ADD CONSTRAINT "expressions_of_interest_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expressions_of_interest" ADD CONSTRAINT "expressions_of_interest_settings_id_challenge_settings_id_fk" FOREIGN KEY ("settings_id") REFERENCES "public"."challenge_settings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "challenge_procurements_expression" ON "challenge_procurements" USING btree ("expression_id");--> statement-breakpoint
CREATE UNIQUE INDEX "challenge_settings_effective" ON "challenge_settings" USING btree ("authority_id","effective_from");--> statement-breakpoint
CREATE INDEX "expressions_of_interest_authority_state" ON "expressions_of_interest" USING btree ("authority_id","state");--> statement-breakpoint
CREATE INDEX "expressions_of_interest_creator" ON "expressions_of_interest" USING btree ("authority_id","created_by");
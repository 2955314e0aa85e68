CREATE TABLE "grant_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"applicant_user_id" uuid NOT NULL,
	"title" text,
	"summary" text,
	"amount_requested_pence" bigint,
	"ward_id" uuid,
	"annual_income_pence" bigint,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"recommendation_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"assessor_user_id" uuid NOT NULL,
	"conflict" boolean NOT NULL,
	"conflict_note" text,
	"scores" jsonb NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_awards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"application_id" uuid,
	"identifier" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"currency" text NOT NULL,
	"amount_awarded_pence" bigint NOT NULL,
	"amount_applied_for_pence" bigint,
	"award_date" date NOT NULL,
	"planned_start" date,
	"planned_end" date,
	"duration_months" integer,
	"recipient_id" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_charity_number" text,
	"recipient_company_number" text,
	"recipient_postal_code" text,
	"funder_id" text NOT NULL,
	"funder_name" text NOT NULL,
	"programme_title" text,
	"locations" jsonb NOT NULL,
	"conditions" text,
	"date_modified" text,
	"source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_monitoring_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"award_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"report" text,
	"submitted_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_programmes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"prospectus" text NOT NULL,
	"eligibility" jsonb NOT NULL,
	"min_amount_pence" bigint NOT NULL,
	"max_amount_pence" bigint NOT NULL,
	"deadline" date NOT NULL,
	"status" text NOT NULL,
	"criteria" jsonb NOT NULL,
	"score_max" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grant_applications" ADD CONSTRAINT "grant_applications_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_applications" ADD CONSTRAINT "grant_applications_programme_id_grant_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."grant_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_applications" ADD CONSTRAINT "grant_applications_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_applications" ADD CONSTRAINT "grant_applications_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_applications" ADD CONSTRAINT "grant_applications_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_assessments" ADD CONSTRAINT "grant_assessments_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_assessments" ADD CONSTRAINT "grant_assessments_application_id_grant_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."grant_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_assessments" ADD CONSTRAINT "grant_assessments_assessor_user_id_users_id_fk" FOREIGN KEY ("assessor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_awards" ADD CONSTRAINT "grant_awards_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_awards" ADD CONSTRAINT "grant_awards_application_id_grant_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."grant_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_monitoring_returns" ADD CONSTRAINT "grant_monitoring_returns_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_monitoring_returns" ADD CONSTRAINT "grant_monitoring_returns_award_id_grant_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."grant_awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_programmes" ADD CONSTRAINT "grant_programmes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grant_applications_programme" ON "grant_applications" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "grant_applications_organisation" ON "grant_applications" USING btree ("authority_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_assessments_one_each" ON "grant_assessments" USING btree ("application_id","assessor_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_awards_identifier" ON "grant_awards" USING btree ("authority_id","identifier");--> statement-breakpoint
CREATE INDEX "grant_awards_date" ON "grant_awards" USING btree ("authority_id","award_date");--> statement-breakpoint
CREATE INDEX "grant_returns_award" ON "grant_monitoring_returns" USING btree ("award_id","due_on");--> statement-breakpoint
CREATE INDEX "grant_programmes_authority" ON "grant_programmes" USING btree ("authority_id","deadline");
CREATE TABLE "outcome_indicators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"baseline_value" double precision NOT NULL,
	"baseline_on" date NOT NULL,
	"target_value" double precision NOT NULL,
	"target_on" date NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outcome_measurements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"ward_id" uuid,
	"measured_on" date NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outcome_measurements_one" UNIQUE NULLS NOT DISTINCT("indicator_id","ward_id","measured_on")
);
--> statement-breakpoint
CREATE TABLE "codesign_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"how_to_join" text,
	"participants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"proposed" text,
	"decided" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commissioning_options" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"model" text NOT NULL,
	"assessment" text NOT NULL,
	"annual_cost_pence" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commissioning_project_services" (
	"authority_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "commissioning_project_services_project_id_service_id_pk" PRIMARY KEY("project_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "commissioning_projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"take_part" text,
	"cycle" integer DEFAULT 1 NOT NULL,
	"previous_project_id" uuid,
	"stage" text NOT NULL,
	"stage_since" date NOT NULL,
	"closed_on" date,
	"needs_evidence" text,
	"needs_data" text,
	"resident_insight" text,
	"current_performance" text,
	"current_cost_pence" bigint,
	"intentions" text,
	"chosen_option" text,
	"chosen_reasons" text,
	"handoff_kind" text,
	"handoff_reference" text,
	"handoff_on" date,
	"performance_review" text,
	"residents_said" text,
	"review_decision" text,
	"review_reasons" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commissioning_stage_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_position_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"covers" text NOT NULL,
	"body" text NOT NULL,
	"published_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcome_indicators" ADD CONSTRAINT "outcome_indicators_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_indicators" ADD CONSTRAINT "outcome_indicators_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_indicator_id_outcome_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."outcome_indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "codesign_sessions" ADD CONSTRAINT "codesign_sessions_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "codesign_sessions" ADD CONSTRAINT "codesign_sessions_project_id_commissioning_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."commissioning_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_options" ADD CONSTRAINT "commissioning_options_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_options" ADD CONSTRAINT "commissioning_options_project_id_commissioning_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."commissioning_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_project_services" ADD CONSTRAINT "commissioning_project_services_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_project_services" ADD CONSTRAINT "commissioning_project_services_project_id_commissioning_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."commissioning_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_project_services" ADD CONSTRAINT "commissioning_project_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_projects" ADD CONSTRAINT "commissioning_projects_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_projects" ADD CONSTRAINT "commissioning_projects_previous_project_id_commissioning_projects_id_fk" FOREIGN KEY ("previous_project_id") REFERENCES "public"."commissioning_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_stage_changes" ADD CONSTRAINT "commissioning_stage_changes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissioning_stage_changes" ADD CONSTRAINT "commissioning_stage_changes_project_id_commissioning_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."commissioning_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_position_statements" ADD CONSTRAINT "market_position_statements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outcome_indicators_code" ON "outcome_indicators" USING btree ("authority_id","code");--> statement-breakpoint
CREATE INDEX "outcome_indicators_outcome" ON "outcome_indicators" USING btree ("outcome_id");--> statement-breakpoint
CREATE INDEX "codesign_sessions_project" ON "codesign_sessions" USING btree ("project_id","held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "commissioning_options_model" ON "commissioning_options" USING btree ("project_id","model");--> statement-breakpoint
CREATE INDEX "commissioning_projects_authority_stage" ON "commissioning_projects" USING btree ("authority_id","stage");--> statement-breakpoint
CREATE INDEX "commissioning_stage_changes_project" ON "commissioning_stage_changes" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "market_position_statements_authority" ON "market_position_statements" USING btree ("authority_id","published_on");
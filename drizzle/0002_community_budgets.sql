CREATE TABLE "budget_area_wards" (
	"authority_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	CONSTRAINT "budget_area_wards_area_id_ward_id_pk" PRIMARY KEY("area_id","ward_id")
);
--> statement-breakpoint
CREATE TABLE "budget_areas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"name" text NOT NULL,
	"budget_pence" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_ballot_choices" (
	"authority_id" uuid NOT NULL,
	"ballot_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"points" integer,
	"rank" integer,
	CONSTRAINT "budget_ballot_choices_ballot_id_proposal_id_pk" PRIMARY KEY("ballot_id","proposal_id")
);
--> statement-breakpoint
CREATE TABLE "budget_ballots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"voter_user_id" uuid,
	"voter_ref" text,
	"channel" text NOT NULL,
	"entered_by_user_id" uuid,
	"paper_ref" text,
	"declared_minimum_age" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_commitments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"owner_organisation_id" uuid,
	"status" text NOT NULL,
	"percent_complete" integer DEFAULT 0 NOT NULL,
	"due_on" date,
	"spend_reference" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_images" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"proposal_id" uuid,
	"progress_update_id" uuid,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"alt_text" text NOT NULL,
	"uploaded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_milestones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"commitment_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date,
	"done_on" date
);
--> statement-breakpoint
CREATE TABLE "budget_progress_updates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"commitment_id" uuid NOT NULL,
	"posted_on" date NOT NULL,
	"note" text NOT NULL,
	"percent_complete" integer NOT NULL,
	"posted_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_proposals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text,
	"location" text,
	"ward_id" uuid,
	"cost_pence" bigint NOT NULL,
	"assessed_cost_pence" bigint,
	"proposer_user_id" uuid,
	"proposer_organisation_id" uuid,
	"status" text NOT NULL,
	"review_reason" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"winners" jsonb NOT NULL,
	"spent_pence" bigint NOT NULL,
	"ballots_counted" integer NOT NULL,
	"paper_superseded" integer NOT NULL,
	"explanation" jsonb NOT NULL,
	"counted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_rounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"phase" text NOT NULL,
	"schedule" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ballot_kind" text NOT NULL,
	"min_choices" integer DEFAULT 1 NOT NULL,
	"max_choices" integer,
	"max_points" integer,
	"counting_rule" text NOT NULL,
	"eligibility" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"currency" text DEFAULT 'GBP' NOT NULL,
	"source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "budget_area_wards" ADD CONSTRAINT "budget_area_wards_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_area_wards" ADD CONSTRAINT "budget_area_wards_area_id_budget_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."budget_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_area_wards" ADD CONSTRAINT "budget_area_wards_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_areas" ADD CONSTRAINT "budget_areas_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_areas" ADD CONSTRAINT "budget_areas_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballot_choices" ADD CONSTRAINT "budget_ballot_choices_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballot_choices" ADD CONSTRAINT "budget_ballot_choices_ballot_id_budget_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."budget_ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballot_choices" ADD CONSTRAINT "budget_ballot_choices_proposal_id_budget_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."budget_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballots" ADD CONSTRAINT "budget_ballots_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballots" ADD CONSTRAINT "budget_ballots_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballots" ADD CONSTRAINT "budget_ballots_area_id_budget_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."budget_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballots" ADD CONSTRAINT "budget_ballots_voter_user_id_users_id_fk" FOREIGN KEY ("voter_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_ballots" ADD CONSTRAINT "budget_ballots_entered_by_user_id_users_id_fk" FOREIGN KEY ("entered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_proposal_id_budget_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."budget_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_images" ADD CONSTRAINT "budget_images_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_images" ADD CONSTRAINT "budget_images_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_images" ADD CONSTRAINT "budget_images_proposal_id_budget_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."budget_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_images" ADD CONSTRAINT "budget_images_progress_update_id_budget_progress_updates_id_fk" FOREIGN KEY ("progress_update_id") REFERENCES "public"."budget_progress_updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_images" ADD CONSTRAINT "budget_images_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_milestones" ADD CONSTRAINT "budget_milestones_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_milestones" ADD CONSTRAINT "budget_milestones_commitment_id_budget_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."budget_commitments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_progress_updates" ADD CONSTRAINT "budget_progress_updates_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_progress_updates" ADD CONSTRAINT "budget_progress_updates_commitment_id_budget_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."budget_commitments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_progress_updates" ADD CONSTRAINT "budget_progress_updates_posted_by_user_id_users_id_fk" FOREIGN KEY ("posted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_area_id_budget_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."budget_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_proposer_user_id_users_id_fk" FOREIGN KEY ("proposer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_proposals" ADD CONSTRAINT "budget_proposals_proposer_organisation_id_organisations_id_fk" FOREIGN KEY ("proposer_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_results" ADD CONSTRAINT "budget_results_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_results" ADD CONSTRAINT "budget_results_round_id_budget_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."budget_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_results" ADD CONSTRAINT "budget_results_area_id_budget_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."budget_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_rounds" ADD CONSTRAINT "budget_rounds_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_areas_name" ON "budget_areas" USING btree ("round_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_ballots_one_per_voter" ON "budget_ballots" USING btree ("round_id","voter_user_id","channel") WHERE voter_user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_ballots_imported_voter" ON "budget_ballots" USING btree ("round_id","voter_ref") WHERE voter_ref is not null;--> statement-breakpoint
CREATE INDEX "budget_ballots_area" ON "budget_ballots" USING btree ("area_id");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_commitments_proposal" ON "budget_commitments" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "budget_commitments_round" ON "budget_commitments" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "budget_images_proposal" ON "budget_images" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "budget_images_update" ON "budget_images" USING btree ("progress_update_id");--> statement-breakpoint
CREATE INDEX "budget_milestones_commitment" ON "budget_milestones" USING btree ("commitment_id");--> statement-breakpoint
CREATE INDEX "budget_progress_updates_commitment" ON "budget_progress_updates" USING btree ("commitment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_proposals_ref" ON "budget_proposals" USING btree ("round_id","ref");--> statement-breakpoint
CREATE INDEX "budget_proposals_area" ON "budget_proposals" USING btree ("area_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_results_area" ON "budget_results" USING btree ("area_id");--> statement-breakpoint
CREATE INDEX "budget_rounds_authority" ON "budget_rounds" USING btree ("authority_id","created_at");
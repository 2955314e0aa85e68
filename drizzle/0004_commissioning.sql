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
ALTER TABLE "outcome_indicators" ADD CONSTRAINT "outcome_indicators_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_indicators" ADD CONSTRAINT "outcome_indicators_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_indicator_id_outcome_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."outcome_indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_measurements" ADD CONSTRAINT "outcome_measurements_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outcome_indicators_code" ON "outcome_indicators" USING btree ("authority_id","code");--> statement-breakpoint
CREATE INDEX "outcome_indicators_outcome" ON "outcome_indicators" USING btree ("outcome_id");
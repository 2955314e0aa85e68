CREATE TABLE "ocds_publishers" (
	"authority_id" uuid PRIMARY KEY NOT NULL,
	"ocid_prefix" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ocds_releases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"ocid" text NOT NULL,
	"release_id" text NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"release" jsonb NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ocds_publishers" ADD CONSTRAINT "ocds_publishers_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocds_releases" ADD CONSTRAINT "ocds_releases_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ocds_releases_once" ON "ocds_releases" USING btree ("authority_id","ocid","release_id");
CREATE TABLE "land_assets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"uprn" text,
	"uprn_status" text NOT NULL,
	"asset_ref" text,
	"name" text,
	"street_number" text,
	"street_name" text,
	"post_town" text,
	"postcode" text,
	"easting" double precision,
	"northing" double precision,
	"coordinate_system" text,
	"tenure" text,
	"tenure_detail" text
);
--> statement-breakpoint
CREATE TABLE "publisher_mappings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"publisher" text NOT NULL,
	"dataset" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spend_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"check" text NOT NULL,
	"severity" text NOT NULL,
	"explanation" text NOT NULL,
	"lines" jsonb NOT NULL,
	"amount_pence" bigint NOT NULL,
	"status" text NOT NULL,
	"resolution_reason" text,
	"recovered_pence" bigint,
	"resolved_by_user_id" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spend_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"dataset" text NOT NULL,
	"publisher" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"encoding" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"rows" integer NOT NULL,
	"rejected" integer NOT NULL,
	"credits" integer NOT NULL,
	"total_pence" bigint NOT NULL,
	"from_date" date,
	"to_date" date,
	"warnings" jsonb NOT NULL,
	"errors" jsonb NOT NULL,
	"imported_by_user_id" uuid,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spend_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"dataset" text NOT NULL,
	"paid_on" date,
	"supplier_name" text,
	"redacted" boolean NOT NULL,
	"amount_pence" bigint NOT NULL,
	"expense_type" text,
	"service_area" text,
	"description" text,
	"transaction_ref" text,
	"invoice_ref" text,
	"supplier_ref" text,
	"merchant_category" text
);
--> statement-breakpoint
CREATE TABLE "vcse_grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"awarded_on" date,
	"recipient" text,
	"redacted" boolean NOT NULL,
	"registration_number" text,
	"amount_pence" bigint NOT NULL,
	"purpose" text,
	"period" text,
	"department" text
);
--> statement-breakpoint
ALTER TABLE "land_assets" ADD CONSTRAINT "land_assets_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_assets" ADD CONSTRAINT "land_assets_import_id_spend_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."spend_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publisher_mappings" ADD CONSTRAINT "publisher_mappings_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_flags" ADD CONSTRAINT "spend_flags_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_flags" ADD CONSTRAINT "spend_flags_import_id_spend_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."spend_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_flags" ADD CONSTRAINT "spend_flags_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_imports" ADD CONSTRAINT "spend_imports_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_imports" ADD CONSTRAINT "spend_imports_imported_by_user_id_users_id_fk" FOREIGN KEY ("imported_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_transactions" ADD CONSTRAINT "spend_transactions_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_transactions" ADD CONSTRAINT "spend_transactions_import_id_spend_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."spend_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vcse_grants" ADD CONSTRAINT "vcse_grants_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vcse_grants" ADD CONSTRAINT "vcse_grants_import_id_spend_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."spend_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "land_assets_import" ON "land_assets" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "publisher_mappings_key" ON "publisher_mappings" USING btree ("authority_id","publisher","dataset");--> statement-breakpoint
CREATE INDEX "spend_flags_open" ON "spend_flags" USING btree ("authority_id","status");--> statement-breakpoint
CREATE INDEX "spend_flags_import" ON "spend_flags" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "spend_imports_file" ON "spend_imports" USING btree ("authority_id","file_sha256");--> statement-breakpoint
CREATE INDEX "spend_transactions_paid" ON "spend_transactions" USING btree ("authority_id","dataset","paid_on");--> statement-breakpoint
CREATE INDEX "spend_transactions_supplier" ON "spend_transactions" USING btree ("authority_id","supplier_name");--> statement-breakpoint
CREATE INDEX "spend_transactions_import" ON "spend_transactions" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "vcse_grants_authority" ON "vcse_grants" USING btree ("authority_id","awarded_on");--> statement-breakpoint
CREATE INDEX "vcse_grants_import" ON "vcse_grants" USING btree ("import_id");
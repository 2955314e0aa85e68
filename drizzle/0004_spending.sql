CREATE TABLE "supplier_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"key_a" text NOT NULL,
	"key_b" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supplier_organisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL,
	"supplier_key" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"linked_by_user_id" uuid,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "spend_transactions" DROP CONSTRAINT "spend_transactions_authority_id_authorities_id_fk";
--> statement-breakpoint
ALTER TABLE "spend_transactions" DROP CONSTRAINT "spend_transactions_import_id_spend_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "supplier_decisions" ADD CONSTRAINT "supplier_decisions_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_decisions" ADD CONSTRAINT "supplier_decisions_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_organisations" ADD CONSTRAINT "supplier_organisations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_organisations" ADD CONSTRAINT "supplier_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_organisations" ADD CONSTRAINT "supplier_organisations_linked_by_user_id_users_id_fk" FOREIGN KEY ("linked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_decisions_pair" ON "supplier_decisions" USING btree ("authority_id","key_a","key_b");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_organisations_key" ON "supplier_organisations" USING btree ("authority_id","supplier_key");--> statement-breakpoint
CREATE INDEX "supplier_organisations_organisation" ON "supplier_organisations" USING btree ("organisation_id");
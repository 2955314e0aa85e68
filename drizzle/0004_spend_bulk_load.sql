ALTER TABLE "spend_transactions" DROP CONSTRAINT "spend_transactions_authority_id_authorities_id_fk";
--> statement-breakpoint
ALTER TABLE "spend_transactions" DROP CONSTRAINT "spend_transactions_import_id_spend_imports_id_fk";

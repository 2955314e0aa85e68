DROP INDEX "spend_transactions_import";--> statement-breakpoint
-- Dropping the id drops its primary key first: a table has one.
ALTER TABLE "spend_transactions" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "spend_transactions" ADD CONSTRAINT "spend_transactions_pkey" PRIMARY KEY("import_id","line");

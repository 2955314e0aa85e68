DROP INDEX "spend_transactions_line";--> statement-breakpoint
DROP INDEX "spend_transactions_paid";--> statement-breakpoint
CREATE INDEX "spend_transactions_brin" ON "spend_transactions" USING brin ("authority_id","dataset","paid_on","import_id","line") WITH (autosummarize=on);
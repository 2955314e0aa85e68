DROP INDEX "spend_transactions_paid";--> statement-breakpoint
CREATE INDEX "spend_transactions_paid" ON "spend_transactions" USING brin ("authority_id","dataset","paid_on") WITH (autosummarize=on);
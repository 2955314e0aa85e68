ALTER TABLE "spend_imports" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
-- Every import before this one was checked in its own transaction.
UPDATE "spend_imports" SET "checked_at" = "imported_at";

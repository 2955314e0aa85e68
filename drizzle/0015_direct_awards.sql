ALTER TABLE "tender_awards" ALTER COLUMN "bid_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tender_awards" ALTER COLUMN "award_notice_on" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tender_awards" ALTER COLUMN "standstill_ends_on" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "direct_award_supplier_id" uuid;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "uk5_published_on" date;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_direct_award_supplier_id_procurement_suppliers_id_fk" FOREIGN KEY ("direct_award_supplier_id") REFERENCES "public"."procurement_suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- hand-written: direct awards
-- A direct award (s.41, s.43) is made to the supplier the council names, without competition: it
-- takes no bids, whatever writes the row. Its award cannot come before its transparency notice
-- (s.44) is recorded as published.
CREATE OR REPLACE FUNCTION bids_refuse_direct_award() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM tenders WHERE id = NEW.tender_id AND procedure = 'direct_award') THEN
    RAISE EXCEPTION 'tender % is a direct award, which takes no bids', NEW.tender_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bids_not_on_direct_awards BEFORE INSERT ON bids FOR EACH ROW EXECUTE FUNCTION bids_refuse_direct_award();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tender_awards_refuse_before_uk5() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM tenders WHERE id = NEW.tender_id AND procedure = 'direct_award' AND (uk5_published_on IS NULL OR direct_award_supplier_id IS NULL)) THEN
    RAISE EXCEPTION 'direct award % has no named supplier or no transparency notice published', NEW.tender_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tender_awards_after_uk5 BEFORE INSERT ON tender_awards FOR EACH ROW EXECUTE FUNCTION tender_awards_refuse_before_uk5();
--> statement-breakpoint
-- Direct awards decided before this change were announced as they were set up: their UK5 is dated
-- then, their supplier is the one awarded, and their contracts are direct awards in the register.
UPDATE tenders SET uk5_published_on = published_on WHERE procedure = 'direct_award' AND status <> 'open';
--> statement-breakpoint
UPDATE tenders t SET direct_award_supplier_id = c.supplier_id FROM contracts c WHERE c.tender_id = t.id AND t.procedure = 'direct_award' AND t.direct_award_supplier_id IS NULL;
--> statement-breakpoint
UPDATE contracts c SET procedure = 'direct_award' FROM tenders t WHERE c.tender_id = t.id AND t.procedure = 'direct_award';

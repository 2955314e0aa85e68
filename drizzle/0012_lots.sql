ALTER TABLE "tender_awards" DROP CONSTRAINT "tender_awards_tender_id_unique";--> statement-breakpoint
DROP INDEX "bids_one_per_lead";--> statement-breakpoint
ALTER TABLE "bids" ADD COLUMN "lot_id" uuid;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "lot_id" uuid;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD COLUMN "lot_id" uuid;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD COLUMN "value_ex_vat_pence" bigint;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_lot_id_tender_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_lot_id_tender_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_lot_id_tender_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_one_per_lead_per_lot" UNIQUE NULLS NOT DISTINCT("tender_id","lot_id","lead_supplier_id");--> statement-breakpoint
ALTER TABLE "tender_awards" ADD CONSTRAINT "tender_awards_once_per_lot" UNIQUE NULLS NOT DISTINCT("tender_id","lot_id");--> statement-breakpoint
-- hand-written: lots
-- A bid names a lot of its own tender, and names one exactly when the tender has lots, so a sealed
-- bid can be neither filed against another tender's lot nor left outside every lot. (The late and
-- changed-bid triggers of 0010 are unchanged: a lot's bids close with its tender.)
CREATE OR REPLACE FUNCTION bids_refuse_wrong_lot() RETURNS trigger AS $$
BEGIN
  IF NEW.lot_id IS NULL THEN
    IF EXISTS (SELECT 1 FROM tender_lots WHERE tender_id = NEW.tender_id) THEN
      RAISE EXCEPTION 'bid for tender % names no lot, and the tender has lots', NEW.tender_id;
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM tender_lots WHERE id = NEW.lot_id AND tender_id = NEW.tender_id) THEN
    RAISE EXCEPTION 'bid names lot %, which is not a lot of tender %', NEW.lot_id, NEW.tender_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bids_in_a_lot BEFORE INSERT ON bids FOR EACH ROW EXECUTE FUNCTION bids_refuse_wrong_lot();

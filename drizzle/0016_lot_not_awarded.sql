ALTER TABLE "tender_lots" ADD COLUMN "not_awarded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD COLUMN "not_awarded_reason" text;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_not_awarded_with_reason" CHECK (("tender_lots"."not_awarded_at" is null) = ("tender_lots"."not_awarded_reason" is null));--> statement-breakpoint
-- hand-written: a lot not awarded
-- The decision not to award a lot (s.55) is final, whatever writes the row: the lot takes no award
-- and no bid after it, the decision cannot come after the lot's award, and once made it cannot be
-- changed or undone.
CREATE OR REPLACE FUNCTION tender_awards_refuse_lot_not_awarded() RETURNS trigger AS $$
BEGIN
  IF NEW.lot_id IS NOT NULL AND EXISTS (SELECT 1 FROM tender_lots WHERE id = NEW.lot_id AND not_awarded_at IS NOT NULL) THEN
    RAISE EXCEPTION 'lot % was decided not to be awarded, so it cannot be awarded', NEW.lot_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tender_awards_not_for_lots_not_awarded BEFORE INSERT ON tender_awards FOR EACH ROW EXECUTE FUNCTION tender_awards_refuse_lot_not_awarded();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bids_refuse_lot_not_awarded() RETURNS trigger AS $$
BEGIN
  -- Compared with the bid's own time, as the deadline is, so bids sent before the decision restore from a backup.
  IF NEW.lot_id IS NOT NULL AND EXISTS (SELECT 1 FROM tender_lots WHERE id = NEW.lot_id AND not_awarded_at <= NEW.submitted_at) THEN
    RAISE EXCEPTION 'lot % was decided not to be awarded, so no bid for it can be made', NEW.lot_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bids_not_for_lots_not_awarded BEFORE INSERT ON bids FOR EACH ROW EXECUTE FUNCTION bids_refuse_lot_not_awarded();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tender_lots_keep_not_awarded() RETURNS trigger AS $$
BEGIN
  IF OLD.not_awarded_at IS NOT NULL AND (NEW.not_awarded_at IS DISTINCT FROM OLD.not_awarded_at OR NEW.not_awarded_reason IS DISTINCT FROM OLD.not_awarded_reason) THEN
    RAISE EXCEPTION 'lot % was decided not to be awarded, and that decision is final', OLD.id;
  END IF;
  IF OLD.not_awarded_at IS NULL AND NEW.not_awarded_at IS NOT NULL AND EXISTS (SELECT 1 FROM tender_awards WHERE lot_id = NEW.id) THEN
    RAISE EXCEPTION 'lot % has been awarded, so it cannot be decided not to be awarded', NEW.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tender_lots_not_awarded_final BEFORE UPDATE ON tender_lots FOR EACH ROW EXECUTE FUNCTION tender_lots_keep_not_awarded();

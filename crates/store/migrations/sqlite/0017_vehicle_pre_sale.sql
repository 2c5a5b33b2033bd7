-- The stock follows the sale (docs/api.md, "The stock follows the sale"):
-- a won deal or a paid vehicle-sale record marks its vehicle `vendido`,
-- and remembers here the status and phase the sale replaced, so that
-- cancelling the sale (reopening the deal, cancelling the record) puts
-- them back. NULL when no sale changed the vehicle; a change of status by
-- hand clears them.
ALTER TABLE vehicles ADD COLUMN pre_sale_status TEXT;
ALTER TABLE vehicles ADD COLUMN pre_sale_phase TEXT;

-- A card an inspector raised by hand (主动巡检, rule inspection.flag) carries the
-- inspector's reason and name: {"reason": "…", "by": "…"}. Rule cards leave it NULL.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS note jsonb;

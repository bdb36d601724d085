-- A card disproved by a late event is withdrawn (撤销), not deleted: who and when are kept.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS withdrawn_by text;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz;

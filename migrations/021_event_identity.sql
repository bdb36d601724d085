-- An event is known by its source and its id: an id is unique at its source only
-- (contract v1.1), so two sources may use the same id for two events.
ALTER TABLE event_ids ADD COLUMN IF NOT EXISTS source text;
UPDATE event_ids i SET source = e.source FROM events e WHERE e.id = i.id AND i.source IS NULL;
-- An id kept without its event (the two were always stored together) keeps its row.
UPDATE event_ids SET source = '' WHERE source IS NULL;
ALTER TABLE event_ids ALTER COLUMN source SET NOT NULL;
ALTER TABLE event_ids DROP CONSTRAINT IF EXISTS event_ids_pkey;
ALTER TABLE event_ids ADD PRIMARY KEY (source, id);

-- petition.repeat reads a petitioner's registrations around an instant of event time.
CREATE INDEX IF NOT EXISTS events_petitioner_idx ON events ((attrs->>'petitionerId'), at)
  WHERE kind = 'petition' AND type = 'registered';

-- Contract events as received, and the per-case state derived from them.

-- event_ids deduplicates contract event ids forever. events becomes a hypertable with
-- TimescaleDB, and a hypertable's unique indexes must include its time column, so a
-- unique id cannot live there.
CREATE TABLE event_ids (
  id text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id text NOT NULL,
  source text NOT NULL,
  kind text NOT NULL,
  type text NOT NULL,
  case_id text NOT NULL,
  dept text NOT NULL,
  at timestamptz NOT NULL,
  actor text,
  attrs jsonb NOT NULL DEFAULT '{}',
  body jsonb NOT NULL,
  -- arrival order; breaks ties between equal `at` (contract §3)
  seq bigint NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
-- a case's history in order
CREATE INDEX events_case_idx ON events (kind, case_id, at, seq);
-- what each source sent lately
CREATE INDEX events_source_received_idx ON events (source, received_at);

CREATE TABLE cases (
  kind text NOT NULL,
  case_id text NOT NULL,
  dept text NOT NULL,
  open boolean NOT NULL,
  next_due timestamptz,
  last_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, case_id)
);
-- the deadline scan only ever looks at open cases
CREATE INDEX cases_open_due_idx ON cases (next_due) WHERE open;

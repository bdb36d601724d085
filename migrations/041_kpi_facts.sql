-- The performance figures as stored (kpi/factStore.ts, docs/kpi.md "Live computation").
-- kpi_cases: the kpi worker's own copy of each case it counts (its events, each id
-- once, and its standing cards) with the facts it last added for it, so that a new
-- event or card turns into the difference of two fact lists. A supervision thread is a
-- case of kind 'thread' here (the cooperation counts).
CREATE TABLE kpi_cases (
  kind text NOT NULL,
  case_id text NOT NULL,
  state jsonb NOT NULL,
  facts jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (kind, case_id)
);

-- kpi_facts: one row per change of one count (delta +1, or −1 when a later event or a
-- withdrawal takes a unit back), at the instant that places it in a period. Counts
-- only, never rates: every figure is a numerator over a denominator summed from here.
-- Insert-only; the case and the card's rule are kept for the drill-down.
CREATE TABLE kpi_facts (
  at timestamptz NOT NULL,
  dept text NOT NULL,
  count text NOT NULL,
  delta integer NOT NULL,
  kind text NOT NULL,
  case_id text NOT NULL,
  rule text,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX kpi_facts_dept_idx ON kpi_facts (dept, count, at);
CREATE INDEX kpi_facts_case_idx ON kpi_facts (kind, case_id);

-- The official results (kpi/freezeStore.ts): each period's figures, ranks and scheme
-- version, frozen once at its end plus the grace period, and never changed. A late
-- event that changes a frozen period's figures adds a revision beside it (figure then,
-- figure now, the facts that changed it); the frozen row stays as it was.
CREATE TABLE kpi_frozen (
  -- 2026-11, 2026-Q4, 2026: one freeze per period, whichever process gets there first
  period text PRIMARY KEY,
  unit text NOT NULL CHECK (unit IN ('month', 'quarter', 'year')),
  scheme text NOT NULL REFERENCES kpi_schemes (version),
  frozen_at timestamptz NOT NULL,
  -- the period's rows (KpiRow), in rank order
  rows jsonb NOT NULL
);

CREATE TABLE kpi_revisions (
  id bigserial PRIMARY KEY,
  period text NOT NULL REFERENCES kpi_frozen (period),
  dept text NOT NULL,
  noted_at timestamptz NOT NULL,
  -- the scheme that scored `after`
  scheme text NOT NULL,
  -- the department's row as frozen, and as it is now (null where it has none)
  before jsonb,
  after jsonb,
  -- the fact changes that made the difference: count, delta, instant, case, rule
  cause jsonb NOT NULL
);
CREATE INDEX kpi_revisions_period_idx ON kpi_revisions (period, id);

-- Insert-only, both: a frozen result and its revisions are a record.
CREATE FUNCTION kpi_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is insert-only: a frozen result is never changed', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER kpi_frozen_insert_only BEFORE UPDATE OR DELETE ON kpi_frozen FOR EACH ROW EXECUTE FUNCTION kpi_insert_only();
CREATE TRIGGER kpi_revisions_insert_only BEFORE UPDATE OR DELETE ON kpi_revisions FOR EACH ROW EXECUTE FUNCTION kpi_insert_only();

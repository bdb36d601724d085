-- Alert cards (current state, one row per card) and the time series of card raises.

CREATE TABLE alerts (
  key text PRIMARY KEY,
  rule text NOT NULL,
  level text NOT NULL CHECK (level IN ('yellow', 'red')),
  kind text,
  case_id text NOT NULL,
  dept text NOT NULL,
  at timestamptz NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  causes jsonb NOT NULL DEFAULT '[]',
  settings_version text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'open'
);
CREATE INDEX alerts_at_idx ON alerts (at DESC);
CREATE INDEX alerts_dept_status_idx ON alerts (dept, status);

-- Append-only: one row per card raise, for KPIs (alerts_daily, migration 003).
CREATE TABLE alert_events (
  time timestamptz NOT NULL,
  alert_key text NOT NULL,
  dept text NOT NULL,
  level text NOT NULL,
  rule text NOT NULL
);

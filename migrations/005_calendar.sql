-- Working-day schedules imported by `jiancha calendar import`, one row per year.
-- They overlay the schedules bundled with the platform (rules/calendars/*.json):
-- a stored year wins over a bundled one, and importing a year again replaces it.
CREATE TABLE IF NOT EXISTS calendar_years (
  year int PRIMARY KEY,
  -- {"holidays": [{"name", "from", "to"}], "workdays": ["YYYY-MM-DD", ...]}
  schedule jsonb NOT NULL CHECK (jsonb_typeof(schedule) = 'object'),
  source text,
  imported_at timestamptz NOT NULL DEFAULT now(),
  imported_by text
);

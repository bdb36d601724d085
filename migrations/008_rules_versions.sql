-- Every rules settings version that was in force, so that an alert's settings_version can be read back.
CREATE TABLE IF NOT EXISTS rules_versions (
  version text PRIMARY KEY,
  origin text NOT NULL,
  content text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

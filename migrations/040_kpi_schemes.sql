-- Every KPI scheme version that produced a result (kpi/schemeStore.ts). A version is a
-- hash of the canonical text kept here, so a frozen result can always be explained by
-- the very weights and cut-offs that scored it.
CREATE TABLE kpi_schemes (
  version text PRIMARY KEY,
  canonical text NOT NULL,
  -- where it was first read from (a file path, or "default")
  origin text NOT NULL,
  first_used timestamptz NOT NULL
);

CREATE TABLE kpi_daily (
  day timestamptz NOT NULL,
  dept text NOT NULL,
  count text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (day, dept, count)
);
CREATE TABLE kpi_monthly (
  month timestamptz NOT NULL,
  dept text NOT NULL,
  count text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (month, dept, count)
);

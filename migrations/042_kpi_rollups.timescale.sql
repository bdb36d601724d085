-- migrate: no-transaction
-- Continuous aggregates cannot be created inside a transaction block. Each statement
-- can be run again, should the migration stop part-way.

-- materialized_only = false: real-time, so the facts after the last refresh show at
-- once. Facts added behind the refreshed range (late events) show once refreshed: the
-- kpi component refreshes the days it touched on its own schedule (no job scheduler
-- runs in embedded PGlite), and the policies below do it too where one runs.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(interval '1 day', at, {{zone}}) AS day, dept, count, sum(delta)::bigint AS n
FROM kpi_facts
GROUP BY 1, 2, 3
WITH NO DATA;

-- Hierarchical: the months are summed from the days, never from the facts again.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_monthly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(interval '1 month', day, {{zone}}) AS month, dept, count, sum(n)::bigint AS n
FROM kpi_daily
GROUP BY 1, 2, 3
WITH NO DATA;

DO $$
BEGIN
  PERFORM add_continuous_aggregate_policy('kpi_daily', start_offset => interval '400 days', end_offset => interval '1 hour', schedule_interval => interval '10 minutes', if_not_exists => true);
  PERFORM add_continuous_aggregate_policy('kpi_monthly', start_offset => interval '400 days', end_offset => interval '1 day', schedule_interval => interval '1 hour', if_not_exists => true);
EXCEPTION WHEN others THEN
  RAISE NOTICE 'kpi rollups: no refresh policy (%)', SQLERRM;
END
$$;

-- migrate: no-transaction
-- Continuous aggregates cannot be created inside a transaction block. Each statement
-- can be run again, should the migration stop part-way.

-- The rows come back from alert_events: real-time aggregation answers at once, and
-- the refresh policy materializes the recent days again where a job scheduler runs.
DROP MATERIALIZED VIEW IF EXISTS alerts_daily;

CREATE MATERIALIZED VIEW IF NOT EXISTS alerts_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(interval '1 day', time, {{zone}}) AS day, dept, level, count(*) AS cards
FROM alert_events
GROUP BY 1, 2, 3
WITH NO DATA;

DO $$
BEGIN
  PERFORM add_continuous_aggregate_policy('alerts_daily',
    start_offset => interval '35 days',
    end_offset => interval '1 hour',
    schedule_interval => interval '1 hour',
    if_not_exists => true);
EXCEPTION WHEN others THEN
  RAISE NOTICE 'alerts_daily: no refresh policy (%)', SQLERRM;
END
$$;

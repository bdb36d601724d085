-- events is append-only time series: chunk it by event time.
SELECT create_hypertable('events', 'at', chunk_time_interval => interval '7 days', if_not_exists => true, migrate_data => true);

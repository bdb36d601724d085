-- create_hypertable also adds the (time DESC) index.
SELECT create_hypertable('alert_events', 'time', chunk_time_interval => interval '30 days', if_not_exists => true, migrate_data => true);

-- A hypertable on the fact's instant, in 30-day chunks (create_hypertable adds the at index).
SELECT create_hypertable('kpi_facts', 'at', chunk_time_interval => interval '30 days', if_not_exists => true, migrate_data => true);

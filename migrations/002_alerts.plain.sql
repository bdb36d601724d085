-- The index a hypertable would have created.
CREATE INDEX alert_events_time_idx ON alert_events (time DESC);

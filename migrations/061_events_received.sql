-- The wall reads when the platform last received an event and how many arrived per
-- minute lately (rules/eventStore.ts lastReceivedAt, eventsPerMinute): both by
-- received_at across sources, which events_source_received_idx cannot serve.
CREATE INDEX IF NOT EXISTS events_received_idx ON events (received_at);

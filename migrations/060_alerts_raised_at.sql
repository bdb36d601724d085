-- The walls' feed lists the cards raised last (alerts/store.ts recentAlerts), not the
-- newest by event time: a card raised now for an older event must lead.
CREATE INDEX IF NOT EXISTS alerts_raised_at_idx ON alerts (raised_at DESC);

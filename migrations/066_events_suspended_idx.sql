-- Decision support (辅助决策) counts the suspensions that began in a period
-- (rules/eventStore.ts suspensionsBetween): by `at` across cases, which events_case_idx
-- cannot serve, and suspensions are few among the events, so a partial index.
CREATE INDEX IF NOT EXISTS events_suspended_idx ON events (at) WHERE type = 'suspended';

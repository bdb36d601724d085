-- The rules worker asks for the cards of each case it loads (cardsOfCases), a batch
-- of cases at a time: without this index every such query read the whole table.
CREATE INDEX IF NOT EXISTS alerts_case_idx ON alerts (kind, case_id);

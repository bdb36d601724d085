-- The index a hypertable would have created.
CREATE INDEX kpi_facts_at_idx ON kpi_facts (at DESC);

-- Same rows and column types as the continuous aggregate in 016_daily_zone.timescale.sql.
CREATE OR REPLACE VIEW alerts_daily AS
SELECT (date_trunc('day', time AT TIME ZONE {{zone}}) AT TIME ZONE {{zone}}) AS day, dept, level, count(*) AS cards
FROM alert_events
GROUP BY 1, 2, 3;

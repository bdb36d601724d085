-- Same rows and column types as the continuous aggregate in 003_daily.timescale.sql.
CREATE VIEW alerts_daily AS
SELECT (date_trunc('day', time AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS day, dept, level, count(*) AS cards
FROM alert_events
GROUP BY 1, 2, 3;

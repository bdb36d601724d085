-- The department a text message is about, so that walls and consoles show each
-- department only its own messages (docs/notify.md). Older rows stay NULL: shown to
-- readers of every department only.
ALTER TABLE sms_outbox ADD COLUMN IF NOT EXISTS dept text;
CREATE INDEX IF NOT EXISTS sms_outbox_dept_id_idx ON sms_outbox (dept, id);

-- Signed checkpoints of the audit trail (docs/audit.md, "Anchoring"). Every so often
-- the head (seq, hash) is signed with an HMAC key kept outside the database
-- (AUDIT_KEY). A superuser can rewrite rows behind the triggers and re-chain the tail,
-- but cannot sign the result without the key, so `jiancha audit verify` finds it.
-- Each checkpoint also carries the previous one's mac, so one removed from the middle
-- is seen too; the newest can be recorded elsewhere (`jiancha audit head`).
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  at timestamptz NOT NULL,
  prev_mac text NOT NULL,
  key_id text NOT NULL,
  mac text NOT NULL
);

DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints;
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();

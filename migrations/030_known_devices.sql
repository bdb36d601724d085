-- Browsers a user signed in on before (accounts/sessions.ts): from such a device the
-- sign-in throttle counts only that device's own failures, so strangers guessing the
-- username elsewhere cannot lock its user out. The database keeps the token's sha256.
CREATE TABLE IF NOT EXISTS known_devices (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS known_devices_user_idx ON known_devices (user_id);

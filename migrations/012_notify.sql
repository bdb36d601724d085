-- SMS notification (docs/notify.md): silences that mute a rule and/or a department
-- for a while, the people each department is texted at, and which cards were
-- already notified, so that a card is texted once and a red card is known to upgrade.

-- A silence mutes the notices matching every matcher it sets, in [starts_at, ends_at).
CREATE TABLE IF NOT EXISTS silences (
  id bigserial PRIMARY KEY,
  rule text,
  dept text,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (rule IS NOT NULL OR dept IS NOT NULL),
  CHECK (ends_at > starts_at)
);
CREATE INDEX IF NOT EXISTS silences_ends_at_idx ON silences (ends_at);

-- One duty contact (值班人员) and one head (负责人) per department. Personal data:
-- read by the route stage only, never written into a message body.
CREATE TABLE IF NOT EXISTS contacts (
  dept text NOT NULL,
  role text NOT NULL CHECK (role IN ('duty', 'head')),
  name text NOT NULL,
  -- E.164 mainland mobile, e.g. +8613800138000
  phone text NOT NULL CHECK (phone ~ '^[+]861[3-9][0-9]{9}$'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dept, role)
);

-- Keys already notified: an alert key, or thread:<family>:<kind>:<case>:<level>
-- saying a (rule family, case) was texted at that level. ref is the sms_outbox ref.
CREATE TABLE IF NOT EXISTS notify_sent (
  key text PRIMARY KEY,
  ref text NOT NULL,
  sent_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS notify_sent_at_idx ON notify_sent (sent_at);

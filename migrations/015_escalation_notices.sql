-- Escalation texts in two phases (docs/lifecycle.md): a step that fires writes a
-- pending notice in its own transaction; a later pass groups the pending notices
-- (head: per department; inspectors, accountability: all together) into one SMS
-- per recipient, queued in sms_outbox in the same transaction that marks them composed.

CREATE TABLE IF NOT EXISTS escalation_notices (
  id bigserial PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES alert_threads (id),
  step text NOT NULL CHECK (step IN ('head', 'inspectors', 'accountability')),
  dept text NOT NULL,
  level text NOT NULL CHECK (level IN ('yellow', 'red')),
  -- the rule of the thread's newest card, for the text's label
  rule text NOT NULL,
  -- the thread's short code, quoted when the head gets a text about this thread alone
  short_code text NOT NULL,
  created_at timestamptz NOT NULL,
  -- NULL while pending; set when the notice went into a text (or nobody could be texted)
  composed_at timestamptz,
  -- the sms_outbox ref of that text; NULL when there was nobody to text
  ref text,
  -- a step fires once per thread, and so tells once
  UNIQUE (thread_id, step)
);
CREATE INDEX IF NOT EXISTS escalation_notices_pending_idx ON escalation_notices (step, dept, id) WHERE composed_at IS NULL;

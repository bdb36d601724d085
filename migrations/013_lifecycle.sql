-- The supervision loop (docs/lifecycle.md): one thread per (case, rule family) going
-- raised → notified → acknowledged → rectification_submitted → approved, every change
-- recorded as a transition, plus rectifications and the escalation steps fired.

CREATE TABLE IF NOT EXISTS alert_threads (
  id bigserial PRIMARY KEY,
  case_kind text NOT NULL,
  case_id text NOT NULL,
  -- the rule, or the yellow/red pair it belongs to (approval.deadline, …)
  family text NOT NULL,
  dept text NOT NULL,
  level text NOT NULL CHECK (level IN ('yellow', 'red')),
  state text NOT NULL CHECK (state IN ('raised', 'notified', 'acknowledged', 'rectification_submitted', 'returned', 'approved', 'withdrawn')),
  -- the cards (alerts.key) of this thread, oldest first
  alert_keys text[] NOT NULL DEFAULT '{}',
  -- quoted in SMS and typed back by the department
  short_code text NOT NULL UNIQUE,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  notified_at timestamptz,
  ack_at timestamptz,
  rectification_due_at timestamptz,
  closed_at timestamptz,
  -- the furthest escalation step fired: head, inspectors (督办) or accountability (问责)
  escalation text
);
-- At most one open thread per case and family: a red card upgrades the open yellow one.
CREATE UNIQUE INDEX IF NOT EXISTS alert_threads_open_idx ON alert_threads (case_kind, case_id, family) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS alert_threads_keys_idx ON alert_threads USING gin (alert_keys);
CREATE INDEX IF NOT EXISTS alert_threads_dept_idx ON alert_threads (dept, state);
CREATE INDEX IF NOT EXISTS alert_threads_updated_idx ON alert_threads (updated_at DESC);

-- Append-only: who did what to a thread, when and why. from_state is NULL on opening.
CREATE TABLE IF NOT EXISTS alert_transitions (
  id bigserial PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES alert_threads (id),
  from_state text,
  to_state text NOT NULL,
  action text NOT NULL,
  actor text NOT NULL,
  actor_role text NOT NULL,
  actor_dept text,
  at timestamptz NOT NULL,
  why text NOT NULL DEFAULT '',
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS alert_transitions_thread_idx ON alert_transitions (thread_id, id);

CREATE TABLE IF NOT EXISTS rectifications (
  id bigserial PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES alert_threads (id),
  text text NOT NULL,
  -- [{sha256, name, size, type}], files under the attachments directory
  attachments jsonb NOT NULL DEFAULT '[]',
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS rectifications_thread_idx ON rectifications (thread_id, id);

-- Each escalation step fires once per thread: the row is inserted (ON CONFLICT DO
-- NOTHING) in the same transaction as the step's effect.
CREATE TABLE IF NOT EXISTS escalation_steps (
  thread_id bigint NOT NULL REFERENCES alert_threads (id),
  step text NOT NULL CHECK (step IN ('head', 'inspectors', 'accountability')),
  fired_at timestamptz NOT NULL,
  PRIMARY KEY (thread_id, step)
);

-- 问责: a department that let a rectification go overdue.
CREATE TABLE IF NOT EXISTS accountabilities (
  thread_id bigint PRIMARY KEY REFERENCES alert_threads (id),
  dept text NOT NULL,
  level text NOT NULL,
  reason text NOT NULL,
  due_at timestamptz NOT NULL,
  opened_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS accountabilities_dept_idx ON accountabilities (dept, opened_at DESC);

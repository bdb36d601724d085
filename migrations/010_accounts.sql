-- Accounts: who may sign in to the consoles, their sessions, and failed sign-ins for
-- rate limiting. See docs/accounts.md.

-- usernames are stored lower-case (users.ts normalizes them), so UNIQUE is case-insensitive.
-- A department user belongs to exactly one department; nobody else has one. Only an
-- inspector may hold the unmask permission (contract §4).
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('inspector', 'leader', 'department', 'admin')),
  dept text,
  can_unmask boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_dept_iff_department CHECK ((role = 'department') = (dept IS NOT NULL)),
  CONSTRAINT users_unmask_inspector_only CHECK (NOT can_unmask OR role = 'inspector')
);

-- Only the sha256 of a session token is stored: a copy of this table signs nobody in.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One row per sign-in attempt that has not succeeded, keyed 'user:<name>' and
-- 'ip:<address>'. Rows older than the rate-limit window are deleted as new ones come.
CREATE TABLE login_attempts (
  id bigserial PRIMARY KEY,
  key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX login_attempts_key_at_idx ON login_attempts (key, at);
CREATE INDEX login_attempts_at_idx ON login_attempts (at);

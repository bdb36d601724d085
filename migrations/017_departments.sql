-- The department registry (docs/departments.md): each department's code as the
-- source systems send it, its names in zh-CN and English, its kind, the department it
-- belongs to, and whether it is active. common/departments/store.ts owns the table.
-- Rows are never deleted: a department is deactivated (active = false), so that its
-- old cards and texts keep their name.
CREATE TABLE IF NOT EXISTS departments (
  -- the contract's code pattern (common/contract/README.md §1)
  code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' AND length(code) <= 100),
  -- the label of every text message about it: short
  name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 20),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('approval', 'enforcement', 'service', 'supervision', 'other')),
  -- checked at commit, so that one import may list a department before its parent
  parent text REFERENCES departments (code) DEFERRABLE INITIALLY DEFERRED CHECK (parent <> code),
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

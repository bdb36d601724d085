-- The check codes (查询码) of the public case lookup (dashboard/server/public/checkCodeStore.ts):
-- one per case, issued by the platform to the department that handles it, kept only as
-- HMAC-SHA256 under a key derived from the platform's secret. A new code replaces the old.
CREATE TABLE IF NOT EXISTS public_check_codes (
  kind text NOT NULL,
  case_id text NOT NULL,
  code_hash text NOT NULL,
  issued_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  PRIMARY KEY (kind, case_id)
);
CREATE INDEX IF NOT EXISTS public_check_codes_case_idx ON public_check_codes (case_id);

-- Small durable facts of the platform itself, such as the demo city's time anchor.
CREATE TABLE IF NOT EXISTS platform_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

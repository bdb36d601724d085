-- The SMS outbox: one row per message to send, written in the same transaction as
-- the card or digest it belongs to, and sent at most once by alerts/sms/sender.ts.
-- status: pending (not handed to the provider) → sending (may have been handed: look
-- it up before sending again) → sent (the provider has it, twilio_sid set) →
-- delivered | undelivered | failed (final; failed also when the provider refused it).
CREATE TABLE IF NOT EXISTS sms_outbox (
  id bigserial PRIMARY KEY,
  ref text NOT NULL,        -- alert key or digest id
  recipient text NOT NULL,  -- E.164, e.g. +8613800138000
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'delivered', 'undelivered')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  twilio_sid text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ref, recipient)
);
CREATE INDEX IF NOT EXISTS sms_outbox_due ON sms_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX IF NOT EXISTS sms_outbox_twilio_sid ON sms_outbox (twilio_sid) WHERE twilio_sid IS NOT NULL;

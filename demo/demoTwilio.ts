/**
 * The demo's Twilio: the fake Twilio of fakeTwilio.ts, set up as the demo wants it,
 * handed to the SMS settings (SMS_PROVIDER=fake) by the composition in bin/.
 */
import { INBOUND_PATH, type FakeTwilioHost } from '../alerts/index.ts'
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilioOptions } from './fakeTwilio.ts'

/** demoTwilio starts fake Twilios with the demo's behaviour. */
export const demoTwilio: FakeTwilioHost = {
  accountSid: FAKE_ACCOUNT_SID,
  authToken: FAKE_AUTH_TOKEN,
  start: (publicBaseUrl) => startFakeTwilio(demoFakeOptions(publicBaseUrl)),
}

/**
 * demoFakeOptions sets up the demo's fake Twilio: every message delivered, and about 60 %
 * of those that ask for `确认 <code>` answered a few seconds later, so the demo shows
 * acknowledgements as well as escalations. Without a public base URL nobody can be answered.
 */
export function demoFakeOptions(publicBaseUrl: string | undefined): FakeTwilioOptions {
  return {
    autoDeliver: { outcome: 'delivered', delayMs: 1000 },
    ...(publicBaseUrl ? { autoReply: { share: 0.6, delayMs: 4000, url: publicBaseUrl + INBOUND_PATH } } : {}),
  }
}

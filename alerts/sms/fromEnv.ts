/**
 * Choosing the SMS provider from settings: Twilio for real, the console for
 * development, or the project's fake Twilio (the real SDK against a local server that
 * also plays Twilio's delivery callbacks, and the contacts' replies) for demos.
 */
import type { FakeTwilioOptions } from '../../test-support/fakeTwilio.ts'
import type { Logger } from '../../common/log.ts'
import { consoleGateway } from './consoleClient.ts'
import type { SmsGateway } from './gateway.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway, type Sender } from './twilioGateway.ts'
import { INBOUND_PATH, statusUrl } from './webhooks.ts'

/** SmsSettings are the SMS settings, read by smsSettingsFromEnv. */
export interface SmsSettings {
  provider: 'twilio' | 'console' | 'fake'
  accountSid?: string
  authToken?: string
  sender?: Sender
  /** public base URL of this platform as Twilio reaches it; StatusCallback and webhook signatures use it */
  publicBaseUrl?: string
  /** fake only: a running fake Twilio to use instead of starting one in this process */
  twilioBaseUrl?: string
}

/** SmsProvider is the chosen gateway and what the webhooks need to check Twilio's signatures. */
export interface SmsProvider {
  name: SmsSettings['provider']
  gateway: SmsGateway
  /** the token that signs webhooks; unset for the console */
  authToken?: string
  publicBaseUrl?: string
  /** the StatusCallback URL to give the sender; unset without PUBLIC_BASE_URL */
  statusCallbackUrl?: string
  close(): Promise<void>
}

type Env = Record<string, string | undefined>

/** smsSettingsFromEnv reads and checks SMS_PROVIDER, TWILIO_* and PUBLIC_BASE_URL; errors name the setting. */
export function smsSettingsFromEnv(env: Env): SmsSettings {
  const provider = (env.SMS_PROVIDER || 'console').trim().toLowerCase()
  if (provider !== 'twilio' && provider !== 'console' && provider !== 'fake') {
    throw new Error(`SMS_PROVIDER must be twilio, console or fake, not ${JSON.stringify(env.SMS_PROVIDER)}`)
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL ? httpUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL).replace(/\/+$/, '') : undefined
  if (provider !== 'twilio') {
    return { provider, publicBaseUrl, twilioBaseUrl: env.TWILIO_BASE_URL ? httpUrl('TWILIO_BASE_URL', env.TWILIO_BASE_URL) : undefined }
  }
  const accountSid = env.TWILIO_ACCOUNT_SID ?? ''
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new Error('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits')
  const authToken = env.TWILIO_AUTH_TOKEN ?? ''
  if (!authToken) throw new Error('TWILIO_AUTH_TOKEN is required with SMS_PROVIDER=twilio')
  const from = env.TWILIO_FROM
  const mss = env.TWILIO_MESSAGING_SERVICE_SID
  if (!!from === !!mss) throw new Error('set exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID')
  if (from && !/^\+[1-9]\d{6,14}$/.test(from)) throw new Error('TWILIO_FROM must be an E.164 number, e.g. +15005550006')
  if (mss && !/^MG[0-9a-fA-F]{32}$/.test(mss)) throw new Error('TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hex digits')
  return { provider, accountSid, authToken, sender: from ? { from } : { messagingServiceSid: mss! }, publicBaseUrl }
}

/** gatewayFromEnv builds the provider SMS_PROVIDER names; `fake` starts a fake Twilio in this process unless TWILIO_BASE_URL points at one. */
export async function gatewayFromEnv(env: Env, log: Logger): Promise<SmsProvider> {
  const s = smsSettingsFromEnv(env)
  const statusCallbackUrl = s.publicBaseUrl ? statusUrl(s.publicBaseUrl) : undefined
  if (s.provider === 'console') {
    return { name: 'console', gateway: consoleGateway(log), publicBaseUrl: s.publicBaseUrl, close: async () => {} }
  }
  if (s.provider === 'twilio') {
    if (!statusCallbackUrl) log.warn('PUBLIC_BASE_URL is not set: no delivery reports, and Twilio webhooks cannot be checked')
    const client = createTwilioClient({ accountSid: s.accountSid!, authToken: s.authToken! })
    return { name: 'twilio', gateway: twilioGateway(client, s.sender!), authToken: s.authToken, publicBaseUrl: s.publicBaseUrl, statusCallbackUrl, close: async () => {} }
  }
  // fake: the real SDK against the project's fake Twilio, which reports every message delivered (and, in the demo, answers some).
  const { startFakeTwilio, FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } = await import('../../test-support/fakeTwilio.ts')
  const fake = s.twilioBaseUrl ? null : await startFakeTwilio(demoFakeOptions(s.publicBaseUrl))
  const baseUrl = s.twilioBaseUrl ?? fake!.url
  log.info('sms: fake Twilio', { url: baseUrl })
  const client = createTwilioClient({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, baseUrl })
  return {
    name: 'fake',
    gateway: twilioGateway(client, { from: '+15005550006' }),
    authToken: FAKE_AUTH_TOKEN,
    publicBaseUrl: s.publicBaseUrl,
    statusCallbackUrl,
    close: async () => fake?.close(),
  }
}

/**
 * demoFakeOptions sets up the demo's fake Twilio: every message delivered, and about 60 %
 * of those that ask for `确认 <code>` answered a few seconds later, so the demo shows
 * acknowledgements as well as escalations. Without a public base URL nobody can be answered.
 */
function demoFakeOptions(publicBaseUrl: string | undefined): FakeTwilioOptions {
  return {
    autoDeliver: { outcome: 'delivered', delayMs: 1000 },
    ...(publicBaseUrl ? { autoReply: { share: 0.6, delayMs: 4000, url: publicBaseUrl + INBOUND_PATH } } : {}),
  }
}

function httpUrl(name: string, value: string): string {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    throw new Error(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`)
  return value
}

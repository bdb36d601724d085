/**
 * Choosing the SMS provider from settings: Twilio for real, the console for
 * development, or a fake Twilio (the real SDK against a local server that also plays
 * Twilio's delivery callbacks, and the contacts' replies) for demos. The fake itself
 * is the demo's (demo/fakeTwilio.ts), handed in by the composition: production code
 * holds none of it.
 */
import type { Logger } from '../../common/log/index.ts'
import { consoleGateway } from './consoleClient.ts'
import type { SmsGateway } from './gateway.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway, type Sender } from './twilioGateway.ts'
import { statusUrl } from './webhooks.ts'

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

/** FakeTwilioHost is what SMS_PROVIDER=fake needs: the fake's credentials, and a way to start one here. */
export interface FakeTwilioHost {
  accountSid: string
  authToken: string
  /** starts a fake Twilio that sends delivery reports (and replies) to the platform at publicBaseUrl */
  start(publicBaseUrl: string | undefined): Promise<{ url: string; close(): Promise<void> }>
}

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

/** gatewayFromEnv builds the provider SMS_PROVIDER names; `fake` starts the given fake Twilio in this process unless TWILIO_BASE_URL points at one. */
export async function gatewayFromEnv(env: Env, log: Logger, fakeHost?: FakeTwilioHost): Promise<SmsProvider> {
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
  // fake: the real SDK against a fake Twilio, which reports every message delivered (and, in the demo, answers some).
  if (!fakeHost) throw new Error('SMS_PROVIDER=fake is the demo\'s: it runs with jiancha start (with the simulator); elsewhere use twilio or console')
  const fake = s.twilioBaseUrl ? null : await fakeHost.start(s.publicBaseUrl)
  const baseUrl = s.twilioBaseUrl ?? fake!.url
  log.info('sms: fake Twilio', { url: baseUrl })
  const client = createTwilioClient({ accountSid: fakeHost.accountSid, authToken: fakeHost.authToken, baseUrl })
  return {
    name: 'fake',
    gateway: twilioGateway(client, { from: '+15005550006' }),
    authToken: fakeHost.authToken,
    publicBaseUrl: s.publicBaseUrl,
    statusCallbackUrl,
    close: async () => fake?.close(),
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

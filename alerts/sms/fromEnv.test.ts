import { afterEach, describe, expect, it, vi } from 'vitest'
import { demoTwilio, startFakeTwilio } from '../../demo/index.ts'
import { gatewayFromEnv, smsSettingsFromEnv } from './fromEnv.ts'
import { memoryLog } from './testdata/support.ts'

// The real fake, watched: which options gatewayFromEnv starts it with.
vi.mock('../../demo/fakeTwilio.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../demo/fakeTwilio.ts')>()
  return { ...real, startFakeTwilio: vi.fn(real.startFakeTwilio) }
})

const SID = `AC${'1'.repeat(32)}`

describe('smsSettingsFromEnv', () => {
  it('defaults to the console', () => {
    expect(smsSettingsFromEnv({})).toEqual({ provider: 'console', publicBaseUrl: undefined, twilioBaseUrl: undefined })
  })

  it('reads Twilio with a number or a Messaging Service', () => {
    const base = { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok', PUBLIC_BASE_URL: 'https://jc.example/' }
    expect(smsSettingsFromEnv({ ...base, TWILIO_FROM: '+15005550006' })).toEqual({
      provider: 'twilio', accountSid: SID, authToken: 'tok', sender: { from: '+15005550006' }, publicBaseUrl: 'https://jc.example',
    })
    expect(smsSettingsFromEnv({ ...base, TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}` }).sender).toEqual({ messagingServiceSid: `MG${'a'.repeat(32)}` })
  })

  it('names the setting that is wrong', () => {
    const ok = { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006' }
    expect(() => smsSettingsFromEnv({ SMS_PROVIDER: 'sms' })).toThrow(/SMS_PROVIDER/)
    expect(() => smsSettingsFromEnv({ ...ok, TWILIO_ACCOUNT_SID: 'SK1' })).toThrow(/TWILIO_ACCOUNT_SID/)
    expect(() => smsSettingsFromEnv({ ...ok, TWILIO_AUTH_TOKEN: '' })).toThrow(/TWILIO_AUTH_TOKEN/)
    expect(() => smsSettingsFromEnv({ ...ok, TWILIO_FROM: undefined })).toThrow(/exactly one/)
    expect(() => smsSettingsFromEnv({ ...ok, TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}` })).toThrow(/exactly one/)
    expect(() => smsSettingsFromEnv({ ...ok, TWILIO_FROM: '13800138000' })).toThrow(/TWILIO_FROM/)
    expect(() => smsSettingsFromEnv({ ...ok, PUBLIC_BASE_URL: 'jc.example' })).toThrow(/PUBLIC_BASE_URL/)
  })
})

describe('gatewayFromEnv', () => {
  afterEach(() => {
    vi.mocked(startFakeTwilio).mockClear()
  })

  it('fake: sends through the SDK to an in-process fake Twilio', async () => {
    const p = await gatewayFromEnv({ SMS_PROVIDER: 'fake', PUBLIC_BASE_URL: 'http://127.0.0.1:1' }, memoryLog(), demoTwilio)
    try {
      expect(p.statusCallbackUrl).toBe('http://127.0.0.1:1/twilio/sms/status')
      expect((await p.gateway.send('+8613800138000', 'x', {})).sid).toMatch(/^SM[0-9a-f]{32}$/)
      expect(await p.gateway.find('+8613800138000', 'x', new Date(Date.now() - 60_000))).not.toBeNull()
    } finally {
      await p.close()
    }
  })

  it('fake: the demo fake answers 确认 for 60 % of the texts, to our inbound webhook', async () => {
    const p = await gatewayFromEnv({ SMS_PROVIDER: 'fake', PUBLIC_BASE_URL: 'http://127.0.0.1:1' }, memoryLog(), demoTwilio)
    await p.close()
    expect(startFakeTwilio).toHaveBeenCalledTimes(1)
    expect(vi.mocked(startFakeTwilio).mock.calls[0]![0]).toMatchObject({
      autoDeliver: { outcome: 'delivered' },
      autoReply: { share: 0.6, delayMs: expect.any(Number), url: 'http://127.0.0.1:1/twilio/sms/inbound' },
    })
  })

  it('fake: a fake Twilio the test runs itself is used as it is, with no replies added', async () => {
    const own = await startFakeTwilio()
    const p = await gatewayFromEnv({ SMS_PROVIDER: 'fake', TWILIO_BASE_URL: own.url, PUBLIC_BASE_URL: 'http://127.0.0.1:1' }, memoryLog(), demoTwilio)
    try {
      await p.gateway.send('+8613800138000', '请回复"确认 K7Q2"', {})
      expect(own.messages.map((m) => m.body)).toEqual(['请回复"确认 K7Q2"'])
      expect(startFakeTwilio).toHaveBeenCalledTimes(1) // the test's own, not another one
    } finally {
      await p.close()
      await own.close()
    }
  })

  it('fake: refused where no fake Twilio is handed in (production code holds none)', async () => {
    await expect(gatewayFromEnv({ SMS_PROVIDER: 'fake' }, memoryLog())).rejects.toThrow(/SMS_PROVIDER=fake is the demo's/)
  })

  it('twilio: needs no network to build', async () => {
    const p = await gatewayFromEnv({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006' }, memoryLog())
    expect(p).toMatchObject({ name: 'twilio', authToken: 'tok', statusCallbackUrl: undefined })
  })
})

import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { SmsSendError } from './gateway.ts'
import { createTwilioClient } from './twilioClient.ts'
import { toSendError, twilioGateway } from './twilioGateway.ts'

const TO = '+8613800138000'
const FROM = '+15005550006'
const MG = `MG${'b'.repeat(32)}`

describe('twilioGateway', () => {
  let fake: FakeTwilio
  let client: twilio.Twilio
  beforeAll(async () => {
    fake = await startFakeTwilio()
    client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: 300 })
  })
  afterAll(() => fake?.close())
  afterEach(() => {
    fake.messages.length = 0
  })

  it('sends our body and StatusCallback from our number', async () => {
    const g = twilioGateway(client, { from: FROM })
    const { sid } = await g.send(TO, '红牌：S-1 超期未办结', { statusCallback: 'https://jc.example/twilio/sms/status?outbox=3' })
    expect(fake.messages).toMatchObject([
      { sid, to: TO, from: FROM, body: '红牌：S-1 超期未办结', statusCallback: 'https://jc.example/twilio/sms/status?outbox=3' },
    ])
  })

  it('sends through a Messaging Service when configured', async () => {
    await twilioGateway(client, { messagingServiceSid: MG }).send(TO, 'x', {})
    expect(fake.messages).toMatchObject([{ from: null, messagingServiceSid: MG }])
  })

  it('finds a message still queued (no date_sent) by recipient, body and creation time', async () => {
    const g = twilioGateway(client, { from: FROM })
    const before = new Date(Date.now() - 1000)
    const { sid } = await g.send(TO, 'queued one', {})
    await g.send(TO, 'another', {})
    expect(await g.find(TO, 'queued one', before)).toEqual({ sid })
    expect(await g.find(TO, 'queued one', new Date(Date.now() + 60_000))).toBeNull()
    expect(await g.find('+8613900139000', 'queued one', before)).toBeNull()
    expect(await twilioGateway(client, { messagingServiceSid: MG }).find(TO, 'queued one', before)).toBeNull()
  })

  it('classifies failures: 429 not sent, 5xx and timeouts unknown, 4xx permanent with the Twilio code', async () => {
    const g = twilioGateway(client, { from: FROM })
    fake.failNext(1, 429)
    fake.failNext(1, 500)
    fake.failNext(1, 'hang')
    const send = (to = TO) => g.send(to, 'x', {}).then(() => null, (e: unknown) => e as SmsSendError)
    expect(await send()).toMatchObject({ outcome: 'not_sent', code: 20429, retryAfterMs: 1000 })
    expect(await send()).toMatchObject({ outcome: 'unknown', code: 20500, retryAfterMs: undefined })
    expect(await send()).toMatchObject({ outcome: 'unknown' })
    const bad = await send('+86123')
    expect(bad).toMatchObject({ outcome: 'permanent', code: 21211 })
    expect(bad?.message).toContain('21211')
  })

  it('classifies a failed look-up too, rate limit included', async () => {
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '2' }, 'any')
    const err = await twilioGateway(client, { from: FROM }).find(TO, 'x', new Date(0)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SmsSendError)
    expect(err).toMatchObject({ outcome: 'not_sent', retryAfterMs: 2000 })
  })

  it('counts a refused connection as not sent', () => {
    expect(toSendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).outcome).toBe('not_sent')
    expect(toSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).outcome).toBe('unknown')
  })
})

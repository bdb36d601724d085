import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { createTwilioClient, DEFAULT_RETRY_AFTER_MS, retryAfterMs, rewriteTwilioUrl, TwilioHttpClient } from './twilioClient.ts'

describe('rewriteTwilioUrl', () => {
  it('sends Twilio hosts to the base URL, keeping path and query', () => {
    expect(rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1', 'http://127.0.0.1:4010')).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?To=%2B1',
    )
    expect(rewriteTwilioUrl('https://api.dublin.ie1.twilio.com/x', 'http://h:1/prefix/')).toBe('http://h:1/prefix/x')
  })

  it('leaves other hosts alone', () => {
    expect(rewriteTwilioUrl('https://example.com/twilio.com', 'http://h:1')).toBe('https://example.com/twilio.com')
    expect(rewriteTwilioUrl('https://nottwilio.com/x', 'http://h:1')).toBe('https://nottwilio.com/x')
  })
})

describe('createTwilioClient', () => {
  let fake: FakeTwilio
  beforeAll(async () => {
    fake = await startFakeTwilio()
  })
  afterAll(() => fake?.close())

  it('runs the SDK against the base URL with basic auth', async () => {
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    const m = await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: '测试' })
    expect(fake.messages.map((x) => x.sid)).toEqual([m.sid])
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, status: 201 })
  })

  it('talks to Twilio itself without a base URL', () => {
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken })
    expect(client.httpClient).toBeInstanceOf(TwilioHttpClient)
    expect((client.httpClient as TwilioHttpClient).baseUrl).toBeUndefined()
    expect(client.httpClient.defaultTimeout).toBe(10_000)
  })

  it('keeps the Retry-After of a 429, and a default wait without one', async () => {
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '7' })
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests' })
    const send = () => client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'x' }).catch((e: unknown) => e)
    expect(await send()).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests', retryAfterMs: 7000 })
    expect(await send()).toMatchObject({ status: 429, retryAfterMs: DEFAULT_RETRY_AFTER_MS })
    expect(await send()).toMatchObject({ sid: expect.stringMatching(/^SM/) })
  })
})

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-10-20T02:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('0.5', now)).toBe(500)
    expect(retryAfterMs(['3'], now)).toBe(3000)
    expect(retryAfterMs('Tue, 20 Oct 2026 02:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Tue, 20 Oct 2026 01:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})

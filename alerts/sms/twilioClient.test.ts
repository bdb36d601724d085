import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { createTwilioClient, rewriteTwilioUrl } from './twilioClient.ts'

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
    expect(client.httpClient.constructor.name).toBe('RequestClient')
    expect(client.httpClient.defaultTimeout).toBe(10_000)
  })
})

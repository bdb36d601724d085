import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTwilioClient } from '../alerts/sms/twilioClient.ts'
import { sign, startFakeTwilio, type FakeTwilio } from './fakeTwilio.ts'

interface Received {
  url: string
  signature: string
  params: Record<string, string>
}

/** A webhook receiver standing in for our server. */
async function receiver(answer = () => ({ status: 204, body: '' })): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = []
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const c of req) body += c
    got.push({ url: req.url ?? '', signature: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(body)) })
    const a = answer()
    res.writeHead(a.status, { 'content-type': 'text/xml' }).end(a.body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server }
}

describe('fake Twilio', () => {
  let fake: FakeTwilio
  let hook: Awaited<ReturnType<typeof receiver>>
  let client: twilio.Twilio

  beforeAll(async () => {
    hook = await receiver()
    fake = await startFakeTwilio({ inboundUrl: `${hook.url}/twilio/sms/inbound`, number: '+15005550006' })
    client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: 500 })
  })
  afterAll(async () => {
    await fake?.close()
    hook?.server.close()
  })
  afterEach(() => {
    fake.messages.length = 0
    fake.requests.length = 0
    hook.got.length = 0
  })

  it('creates a message sent through the SDK and answers with a Twilio-shaped resource', async () => {
    const m = await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: '黄牌：S-1', statusCallback: 'http://cb.example/s?outbox=1' })
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(m).toMatchObject({ status: 'queued', to: '+8613800138000', from: '+15005550006', body: '黄牌：S-1', numSegments: '1', dateSent: null })
    expect(m.dateCreated).toBeInstanceOf(Date)
    expect(fake.messages).toMatchObject([{ sid: m.sid, body: '黄牌：S-1', statusCallback: 'http://cb.example/s?outbox=1' }])
    expect((await client.messages(m.sid).fetch()).body).toBe('黄牌：S-1')
  })

  it('accepts a Messaging Service instead of From', async () => {
    const m = await client.messages.create({ to: '+8613800138000', messagingServiceSid: `MG${'a'.repeat(32)}`, body: 'x' })
    expect(m).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: `MG${'a'.repeat(32)}` })
  })

  it('rejects wrong credentials with 401 and an invalid number with 400 code 21211', async () => {
    const wrong = createTwilioClient({ accountSid: fake.accountSid, authToken: 'nope', baseUrl: fake.url })
    await expect(wrong.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'x' })).rejects.toMatchObject({ status: 401, code: 20003 })
    await expect(client.messages.create({ to: '12345', from: '+15005550006', body: 'x' })).rejects.toMatchObject({ status: 400, code: 21211 })
    expect(fake.messages).toHaveLength(0)
  })

  it('lists newest first, filtered by To and From, following next pages', async () => {
    for (let i = 0; i < 5; i++) await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: `m${i}` })
    await client.messages.create({ to: '+8613900139000', from: '+15005550006', body: 'other' })
    const list = await client.messages.list({ to: '+8613800138000', from: '+15005550006', pageSize: 2, limit: 10 })
    expect(list.map((m) => m.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0'])
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(3)
  })

  it('filters DateSent as Twilio does: a message not sent yet has no date_sent', async () => {
    const since = new Date(Date.now() - 60_000)
    const queued = await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'q', statusCallback: `${hook.url}/s` })
    expect(await client.messages.list({ to: '+8613800138000', dateSentAfter: since })).toHaveLength(0)
    await fake.deliver(queued.sid, ['sent'])
    expect((await client.messages.list({ to: '+8613800138000', dateSentAfter: since })).map((m) => m.sid)).toEqual([queued.sid])
  })

  it('fails the next requests as told: 500, 429, then a hang the client times out on', async () => {
    fake.failNext(1, 500)
    fake.failNext(1, 429)
    fake.failNext(1, 'hang')
    const send = () => client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'x' })
    await expect(send()).rejects.toMatchObject({ status: 500, code: 20500 })
    await expect(send()).rejects.toMatchObject({ status: 429, code: 20429 })
    await expect(send()).rejects.toMatchObject({ code: 'ECONNABORTED' })
    await send()
    expect(fake.messages).toHaveLength(1)
    expect(fake.requests.map((r) => r.status)).toEqual([500, 429, 'hang', 201])
  })

  it('can create the message and then hang, as when the answer is lost', async () => {
    fake.failNext(1, 'hang-after-create')
    await expect(client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'lost' })).rejects.toThrow()
    expect(fake.messages.map((m) => m.body)).toEqual(['lost'])
  })

  it('posts status callbacks signed so that the SDK validates them', async () => {
    const cb = `${hook.url}/twilio/sms/status?outbox=7`
    const m = await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'x', statusCallback: cb })
    expect(await fake.deliver(m.sid, ['sent', 'undelivered'], 30005)).toEqual([204, 204])
    expect(hook.got.map((g) => g.params.MessageStatus)).toEqual(['sent', 'undelivered'])
    for (const g of hook.got) {
      expect(g.url).toBe('/twilio/sms/status?outbox=7')
      expect(twilio.validateRequest(fake.authToken, g.signature, cb, g.params)).toBe(true)
      expect(twilio.validateRequest('another-token', g.signature, cb, g.params)).toBe(false)
    }
    expect(hook.got[1]!.params).toMatchObject({ MessageSid: m.sid, To: '+8613800138000', From: '+15005550006', ErrorCode: '30005' })
    expect(fake.messages[0]).toMatchObject({ status: 'undelivered', errorCode: 30005 })
  })

  it('posts inbound texts signed, and returns our answer', async () => {
    const a = await fake.sendInbound({ from: '+8613800138000', body: '确认 AB12' })
    expect(a.status).toBe(204)
    const g = hook.got[0]!
    expect(g.params).toMatchObject({ From: '+8613800138000', To: '+15005550006', Body: '确认 AB12', SmsStatus: 'received' })
    expect(g.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(twilio.validateRequest(fake.authToken, g.signature, `${hook.url}/twilio/sms/inbound`, g.params)).toBe(true)
  })

  it('signs exactly like the SDK helper', () => {
    const params = { To: '+1', Body: 'a b&c=确认', From: '+2', AccountSid: 'AC1' }
    const url = 'https://example.com/hook?x=1'
    expect(sign('tok', url, params)).toBe(twilio.getExpectedTwilioSignature('tok', url, params))
  })
})

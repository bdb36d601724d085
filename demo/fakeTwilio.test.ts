import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTwilioClient, digestText, INBOUND_PATH, inboundSmsHandler, shortCode, singleText } from '../alerts/index.ts'
import { memoryLog } from '../alerts/sms/testdata/support.ts'
import { FAKE_AUTH_TOKEN, replyCode, repliesTo, sign, startFakeTwilio, type FakeTwilio } from './fakeTwilio.ts'

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

describe('fake Twilio as a distant, rate-limited API', () => {
  it('answers after its latency, and refuses creations over its rate with 429 and Retry-After', async () => {
    const fake = await startFakeTwilio({ latencyMs: 80, rateLimit: { perSecond: 3, retryAfterS: 2 } })
    try {
      const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
      const send = (i: number) => client.messages.create({ to: '+8613800138000', from: '+15005550006', body: `m${i}` }).then(() => 201, (e: { status: number; retryAfterMs?: number }) => [e.status, e.retryAfterMs])
      const t0 = Date.now()
      const answers = await Promise.all([0, 1, 2, 3, 4].map(send))
      expect(Date.now() - t0).toBeGreaterThanOrEqual(80)
      expect(answers.filter((a) => a === 201)).toHaveLength(3)
      expect(answers.filter((a) => a !== 201)).toEqual([[429, 2000], [429, 2000]])
      expect(fake.rateLimited).toBe(2)
      expect(fake.messages).toHaveLength(3)
      // reads are not rate limited
      expect(await client.messages.list({ limit: 10 })).toHaveLength(3)
    } finally {
      await fake.close()
    }
  })
})

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

  it('answers a 429 with the Retry-After it was told, which the SDK client keeps', async () => {
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '3' })
    const err = await client.messages.create({ to: '+8613800138000', from: '+15005550006', body: 'x' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 429, code: 20429, retryAfterMs: 3000 })
    expect(fake.requests[0]).toMatchObject({ status: 429, at: expect.any(Number), answeredAt: expect.any(Number) })
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

/** ourServer is our side: the real inbound handler, keeping each form it is posted and each code it acknowledges; other paths answer 204. */
async function ourServer() {
  const forms: Record<string, string>[] = []
  const acks: { code: string; from: string }[] = []
  // The handler needs the server's URL, so it is made once the server listens.
  const handler: { inbound?: ReturnType<typeof inboundSmsHandler> } = {}
  const server = createServer(async (req, res) => {
    if (!req.url?.startsWith(INBOUND_PATH)) return void res.writeHead(204).end()
    let body = ''
    for await (const c of req) body += c
    forms.push(Object.fromEntries(new URLSearchParams(body)))
    // hand the handler the same request again, its body already read
    const again = Object.assign(Readable.from([Buffer.from(body)]), { method: req.method, url: req.url, headers: req.headers })
    await handler.inbound!(again as unknown as IncomingMessage, res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  handler.inbound = inboundSmsHandler({
    authToken: FAKE_AUTH_TOKEN, publicBaseUrl: url, log: memoryLog(),
    onAck: async (a) => {
      acks.push(a)
      return 'acknowledged'
    },
  })
  return { url, forms, acks, server }
}

describe('fake Twilio answering as the contacts', () => {
  const TO = '+8613800138000'
  const OURS = '+15005550006'
  const asking = (caseId: string) => singleText({ level: 'red', rule: 'approval.overdue', dept: 'SCJG', caseId }, shortCode(caseId), () => undefined)
  let ours: Awaited<ReturnType<typeof ourServer>>
  const fakes: FakeTwilio[] = []

  /** start runs a fake that answers share of the texts asking for it, delayMs after delivery. */
  const start = async (share: number, delayMs = 20, url = ours.url + INBOUND_PATH) => {
    // its own number differs from the sender's, so a reply that fell back to it would show
    const fake = await startFakeTwilio({ number: '+15005550099', autoReply: { share, delayMs, url } })
    fakes.push(fake)
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    /** sendDelivered sends a text through the SDK and has Twilio report it delivered. */
    const sendDelivered = async (body: string) => {
      const m = await client.messages.create({ to: TO, from: OURS, body, statusCallback: `${ours.url}/twilio/sms/status` })
      await fake.deliver(m.sid)
      return m.sid
    }
    return { fake, sendDelivered }
  }

  beforeAll(async () => {
    ours = await ourServer()
  })
  afterAll(() => {
    ours?.server.close()
  })
  beforeEach(() => {
    ours.forms.length = 0
    ours.acks.length = 0
  })
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()))
  })

  it('finds the code in the texts that ask for a reply, and in no other', () => {
    expect(replyCode(singleText({ level: 'red', rule: 'approval.overdue', dept: 'SCJG', caseId: 'A-0001' }, 'K7Q2', () => undefined))).toBe('K7Q2')
    expect(replyCode(digestText('SCJG', { red: 2, yellow: 5 }, 'M3X9', () => undefined))).toBe('M3X9')
    expect(replyCode('【电子监察】督办：市场监管局 审批超期预警超时未确认，已转纪检监察')).toBeNull()
  })

  it('answers a delivered text once with 确认 <code> from its recipient, signed so that our handler acknowledges it', async () => {
    const { fake, sendDelivered } = await start(1)
    const body = asking('A-0001')
    const sid = await sendDelivered(body)
    await vi.waitFor(() => expect(ours.acks).toHaveLength(1))
    // a repeated delivery report does not make the contact answer again
    await fake.deliver(sid, ['delivered'])
    await sleep(100)
    expect(ours.acks).toEqual([{ code: shortCode('A-0001'), from: TO }])
    expect(ours.forms).toMatchObject([{ From: TO, To: OURS, Body: `确认 ${shortCode('A-0001')}` }])
    expect(fake.replyFailures).toBe(0)
  })

  it('does not answer a text without a code, nor any text with share 0', async () => {
    const all = await start(1)
    await all.sendDelivered('【电子监察】督办：市场监管局 审批超期预警超时未确认，已转纪检监察')
    const none = await start(0)
    for (let i = 0; i < 5; i++) await none.sendDelivered(asking(`B-${i}`))
    await sleep(100)
    expect(ours.forms).toEqual([])
  })

  it('picks the same texts on every run, about the share asked for', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => asking(`C-${i}`))
    const picked = bodies.filter((b) => repliesTo(b, 0.5)).map(replyCode).sort()
    expect(picked.length).toBeGreaterThan(0)
    expect(picked.length).toBeLessThan(20)
    for (let run = 0; run < 2; run++) {
      ours.acks.length = 0
      const { sendDelivered } = await start(0.5)
      for (const b of bodies) await sendDelivered(b)
      await vi.waitFor(() => expect(ours.acks).toHaveLength(picked.length))
      await sleep(50)
      expect(ours.acks.map((a) => a.code).sort()).toEqual(picked)
    }
    const many = Array.from({ length: 1000 }, (_, i) => asking(`D-${i}`)).filter((b) => repliesTo(b, 0.6)).length
    expect(many).toBeGreaterThan(550)
    expect(many).toBeLessThan(650)
  })

  it('cancels the replies still waiting when it closes', async () => {
    const { fake, sendDelivered } = await start(1, 200)
    await sendDelivered(asking('E-1'))
    await fake.close()
    await sleep(400)
    expect(ours.forms).toEqual([])
  })

  it('counts a reply our server does not take, and goes on', async () => {
    const { fake, sendDelivered } = await start(1, 20, 'http://127.0.0.1:1/twilio/sms/inbound')
    await sendDelivered(asking('F-1'))
    await sendDelivered(asking('F-2'))
    await vi.waitFor(() => expect(fake.replyFailures).toBe(2))
  })
})

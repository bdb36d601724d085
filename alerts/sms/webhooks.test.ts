import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { sign, startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { enqueue, failedMessages, outboxMessages } from './outbox.ts'
import { startSmsSender } from './sender.ts'
import { ManualClock, memoryLog } from './testdata/support.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway } from './twilioGateway.ts'
import { ackCode, HELP, inboundSmsHandler, INBOUND_PATH, statusCallbackHandler, STATUS_PATH, statusUrl, type AckResult, type OnAck } from './webhooks.ts'

const PUBLIC = 'https://jiancha.example.gov.cn'
const TO = '+8613800138000'

describe('ackCode', () => {
  it('reads 确认 or ACK and a code, in any case and width', () => {
    expect(ackCode('确认 AB12')).toBe('AB12')
    expect(ackCode('  ack ab12 ')).toBe('AB12')
    expect(ackCode('确认　ＡＢ１２')).toBe('AB12')
    expect(ackCode('确认：AB12')).toBe('AB12')
    expect(ackCode('确认AB12')).toBe('AB12')
    expect(ackCode('ACK\tab12')).toBe('AB12')
  })
  it('reads nothing else', () => {
    for (const s of ['', '确认', 'ACK', 'ackab12', 'acknowledge', '确认 AB12 谢谢', '收到', 'AB12']) expect(ackCode(s)).toBeNull()
  })
})

describe.each(openTestDbs())('twilio webhooks on $name', (backend) => {
  let db: Db
  let fake: FakeTwilio
  let server: Server
  let local: string
  const acks: { code: string; from: string }[] = []
  let ackResult: AckResult = 'acknowledged'
  const onAck: OnAck = async (a) => {
    acks.push(a)
    return ackResult
  }
  const log = memoryLog()
  /** outbox ids the status handler announced as changed */
  const changes: number[] = []

  /** sendOne puts a message through the sender and the fake, returning its row id and SID. */
  const sendOne = async (ref: string) => {
    await enqueue(db, ref, TO, `body ${ref}`)
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    const s = startSmsSender({ db, gateway: twilioGateway(client, { from: '+15005550006' }), clock: new ManualClock(Date.now()), log, statusCallbackUrl: statusUrl(PUBLIC), pollMs: 3_600_000 })
    await s.tick()
    await s.stop()
    const r = (await outboxMessages(db, ref))[0]!
    return { id: r.id, sid: r.twilioSid! }
  }
  const status = async (ref: string) => (await outboxMessages(db, ref))[0]!.status
  /** post sends a form to our server directly, signed for url with token. */
  const post = async (path: string, params: Record<string, string>, signedUrl = PUBLIC + path, token = fake.authToken) =>
    fetch(local + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(token, signedUrl, params) },
      body: new URLSearchParams(params),
    })

  beforeAll(async () => {
    db = await backend.open()
    const opts = { authToken: 'fake-twilio-auth-token-0123456789', publicBaseUrl: PUBLIC, log }
    const onStatus = statusCallbackHandler({ ...opts, db, onChange: (id) => changes.push(id) })
    const onInbound = inboundSmsHandler({ ...opts, onAck })
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const h = path === STATUS_PATH ? onStatus : path === INBOUND_PATH ? onInbound : null
      if (h) void h(req, res)
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // Twilio calls the public URL; the proxy in front of us forwards it to our port.
    fake = await startFakeTwilio({ authToken: opts.authToken, inboundUrl: PUBLIC + INBOUND_PATH, proxy: (u) => u.replace(PUBLIC, local) })
  })
  afterAll(async () => {
    await fake?.close()
    server?.close()
    await db?.close()
  })
  beforeEach(() => {
    acks.length = 0
    ackResult = 'acknowledged'
  })

  it('records a signed status callback: sent, then delivered', async () => {
    const { id, sid } = await sendOne('s1')
    expect(fake.messages.find((m) => m.sid === sid)?.statusCallback).toMatch(/^https:\/\/jiancha\.example\.gov\.cn\/twilio\/sms\/status\?outbox=\d+$/)
    changes.length = 0
    expect(await fake.deliver(sid, ['sent', 'delivered'])).toEqual([204, 204])
    expect(await status('s1')).toBe('delivered')
    // "sent" changed nothing (the sender had recorded it); "delivered" did, and is announced and audited
    expect(changes).toEqual([id])
    const trail = await db.query<{ actor: string; action: string; detail: Record<string, unknown> }>('SELECT actor, action, detail FROM audit_log WHERE subject = $1 ORDER BY seq', [`sms:${id}`])
    expect(trail.rows.map((r) => [r.actor, r.action, r.detail.status ?? null])).toEqual([['sms', 'sms.sent', null], ['twilio', 'sms.status', 'delivered']])
  })

  it('ignores a late "sent" or "queued" after "delivered"', async () => {
    const { sid } = await sendOne('s2')
    await fake.deliver(sid, ['delivered'])
    changes.length = 0
    expect(await fake.replayCallback(sid, 'sent')).toBe(204)
    expect(await fake.replayCallback(sid, 'queued')).toBe(204)
    expect(await status('s2')).toBe('delivered')
    expect(changes).toEqual([])
  })

  it('records undelivered with the Twilio error code, for inspectors', async () => {
    const { sid } = await sendOne('s3')
    await fake.deliver(sid, ['sent', 'undelivered'], 30003)
    expect((await failedMessages(db)).find((m) => m.ref === 's3')).toMatchObject({ status: 'undelivered', error: 'twilio error 30003' })
  })

  it('answers 403 to a bad signature and changes nothing', async () => {
    const { id, sid } = await sendOne('s4')
    const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: fake.accountSid }
    const path = `${STATUS_PATH}?outbox=${id}`
    expect((await post(path, params, PUBLIC + path, 'wrong-token')).status).toBe(403)
    // signed for the address the server sees, not the public one Twilio was given
    expect((await post(path, params, local + path)).status).toBe(403)
    // signed for another outbox id
    expect((await post(path, params, `${PUBLIC}${STATUS_PATH}?outbox=${id + 1}`)).status).toBe(403)
    const noSig = await fetch(local + path, { method: 'POST', body: new URLSearchParams(params) })
    expect(noSig.status).toBe(403)
    expect(await status('s4')).toBe('sent')
    expect((await post(path, params)).status).toBe(204)
    expect(await status('s4')).toBe('delivered')
  })

  it('acknowledges a card by a signed reply and answers in TwiML', async () => {
    const a = await fake.sendInbound({ from: TO, body: '确认 AB12' })
    expect(acks).toEqual([{ code: 'AB12', from: TO }])
    expect(a.status).toBe(200)
    expect(a.contentType).toMatch(/^text\/xml/)
    expect(a.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>已确认（AB12），谢谢。请尽快办理。</Message></Response>')
  })

  it.each<[AckResult, string]>([
    ['unknown_code', '未找到确认码 ZZ99'],
    ['not_a_contact', '不是该事项登记的联系人'],
    ['already', '已确认过'],
  ])('answers %s in Chinese', async (result, text) => {
    ackResult = result
    const a = await fake.sendInbound({ from: TO, body: 'ack zz99' })
    expect(acks).toEqual([{ code: 'ZZ99', from: TO }])
    expect(a.body).toContain(text)
  })

  it('answers anything else with help, without acknowledging', async () => {
    const a = await fake.sendInbound({ from: TO, body: '收到<b>' })
    expect(acks).toEqual([])
    expect(a.body).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${HELP}</Message></Response>`)
  })

  it('refuses an unsigned or badly signed text with 403', async () => {
    const params = { From: TO, To: '+15005550006', Body: '确认 AB12', MessageSid: `SM${'0'.repeat(32)}` }
    expect((await post(INBOUND_PATH, params, PUBLIC + INBOUND_PATH, 'wrong-token')).status).toBe(403)
    expect((await post(INBOUND_PATH, { ...params, Body: '确认 AB13' }, PUBLIC + INBOUND_PATH)).status).toBe(200)
    const tampered = await fetch(local + INBOUND_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(fake.authToken, PUBLIC + INBOUND_PATH, params) },
      body: new URLSearchParams({ ...params, From: '+8613999999999' }),
    })
    expect(tampered.status).toBe(403)
    expect(acks).toEqual([{ code: 'AB13', from: TO }])
  })

  it('answers 405 to anything but POST', async () => {
    expect((await fetch(local + INBOUND_PATH)).status).toBe(405)
  })
})

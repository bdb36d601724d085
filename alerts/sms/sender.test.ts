import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { enqueue, failedMessages, outboxMessages } from './outbox.ts'
import { verifyAudit } from '../../common/audit/index.ts'
import { backoff, startSmsSender, type SmsSender } from './sender.ts'
import { ManualClock, memoryLog } from './testdata/support.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway } from './twilioGateway.ts'

const TO = '+8613800138000'
const FROM = '+15005550006'
const CALLBACK = 'https://jiancha.example.gov.cn/twilio/sms/status'

describe('backoff', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoff(n, 2000, 20_000))).toEqual([2000, 4000, 8000, 16_000, 20_000])
  })
})

describe.each(openTestDbs())('sms sender on $name', (backend) => {
  let db: Db
  let fake: FakeTwilio
  let sender: SmsSender | undefined
  const clock = new ManualClock(Date.parse('2026-10-20T10:00:00+08:00'))
  const log = memoryLog()

  /** outbox ids the sender announced after recording an attempt */
  const changes: number[] = []
  const start = (o: { maxAttempts?: number } = {}) => {
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: 300 })
    // a poll far away: the test ticks by hand
    changes.length = 0
    sender = startSmsSender({
      db, gateway: twilioGateway(client, { from: FROM }), clock, log, statusCallbackUrl: CALLBACK, pollMs: 3_600_000,
      onChange: (id) => changes.push(id), ...o,
    })
    return sender
  }
  const row = async (ref: string) => (await outboxMessages(db, ref))[0]!
  const auditOf = async (id: number) =>
    (await db.query<{ actor: string; action: string; detail: unknown }>('SELECT actor, action, detail FROM audit_log WHERE subject = $1 ORDER BY seq', [`sms:${id}`])).rows
  const posts = () => fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)

  beforeAll(async () => {
    db = await backend.open()
    fake = await startFakeTwilio()
  })
  afterAll(async () => {
    await fake?.close()
    await db?.close()
  })
  beforeEach(async () => {
    await db.query('DELETE FROM sms_outbox')
    fake.messages.length = 0
    fake.requests.length = 0
    log.lines.length = 0
  })
  afterEach(async () => {
    await sender?.stop()
  })

  it('sends a due message through the SDK with its StatusCallback and keeps the SID', async () => {
    await enqueue(db, 'red:S-1', TO, '红牌：S-1 超期未办结')
    await start().tick()
    const r = await row('red:S-1')
    expect(fake.messages).toMatchObject([{ to: TO, from: FROM, body: '红牌：S-1 超期未办结', statusCallback: `${CALLBACK}?outbox=${r.id}` }])
    expect(r).toMatchObject({ status: 'sent', twilioSid: fake.messages[0]!.sid, attempts: 1, error: null, nextAttemptAt: null })
    expect(changes).toEqual([r.id])
    // the trail says it went out, in the same transaction, number masked
    expect(await auditOf(r.id)).toEqual([{ actor: 'sms', action: 'sms.sent', detail: { ref: 'red:S-1', to: '138****8000', sid: r.twilioSid } }])
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })

  it('retries 500, 429 and a timeout with growing delays, then sends once', async () => {
    fake.failNext(1, 500)
    fake.failNext(1, 429)
    fake.failNext(1, 'hang')
    await enqueue(db, 'k', TO, 'x')
    const s = start()
    const t0 = clock.now()
    await s.tick()
    expect(await row('k')).toMatchObject({ status: 'sending', attempts: 1, nextAttemptAt: new Date(t0 + 2000) })
    clock.advance(1999)
    await s.tick()
    expect(posts()).toEqual([500])
    clock.advance(1)
    await s.tick() // looks up (a 500 may hide a created message), then sends: 429
    expect(await row('k')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(clock.now() + 4000) })
    clock.advance(4000)
    await s.tick() // pending after a 429: no look-up; the send hangs
    expect(await row('k')).toMatchObject({ status: 'sending', attempts: 3, nextAttemptAt: new Date(clock.now() + 8000) })
    expect((await row('k')).error).toContain('timeout')
    clock.advance(8000)
    await s.tick()
    expect(posts()).toEqual([500, 429, 'hang', 201])
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(2)
    expect(fake.messages).toHaveLength(1)
    expect(await row('k')).toMatchObject({ status: 'sent', attempts: 4, twilioSid: fake.messages[0]!.sid, error: null })
  })

  it('does not send again when Twilio took the message but the answer was lost', async () => {
    fake.failNext(1, 'hang-after-create')
    await enqueue(db, 'k', TO, 'lost answer')
    const s = start()
    await s.tick()
    expect(await row('k')).toMatchObject({ status: 'sending', twilioSid: null })
    clock.advance(2000)
    await s.tick()
    expect(posts()).toEqual(['hang'])
    expect(fake.messages).toHaveLength(1)
    expect(await row('k')).toMatchObject({ status: 'sent', twilioSid: fake.messages[0]!.sid })
    expect(log.lines.some((l) => l.msg.includes('not sent again'))).toBe(true)
  })

  it('fails a message Twilio refuses, without retrying, and lists it for inspectors', async () => {
    await enqueue(db, 'k', '+86123', 'x')
    const s = start()
    await s.tick()
    clock.advance(3_600_000)
    await s.tick()
    expect(posts()).toEqual([400])
    const failed = await failedMessages(db)
    expect(failed).toMatchObject([{ ref: 'k', recipient: '+86123', status: 'failed', attempts: 1 }])
    expect(failed[0]!.error).toContain('21211')
    expect(log.lines.some((l) => l.level === 'error' && l.msg.includes('refused'))).toBe(true)
    expect(await auditOf(failed[0]!.id)).toMatchObject([{ action: 'sms.status', detail: { status: 'failed', error: expect.stringContaining('21211') } }])
  })

  it('gives up after maxAttempts', async () => {
    fake.failNext(3, 429)
    await enqueue(db, 'k', TO, 'x')
    const s = start({ maxAttempts: 3 })
    for (let i = 0; i < 4; i++) {
      await s.tick()
      clock.advance(60_000)
    }
    expect(posts()).toEqual([429, 429, 429])
    expect(await row('k')).toMatchObject({ status: 'failed', attempts: 3 })
    expect((await row('k')).error).toMatch(/^gave up after 3 attempts: twilio 429/)
  })

  it('sends on its own every pollMs and stops cleanly', async () => {
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    sender = startSmsSender({ db, gateway: twilioGateway(client, { from: FROM }), clock, log, pollMs: 20 })
    await enqueue(db, 'a', TO, 'a')
    await enqueue(db, 'b', TO, 'b')
    const deadline = Date.now() + 10_000
    while (fake.messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await sender.stop()
    expect(fake.messages.map((m) => [m.body, m.statusCallback])).toEqual([['a', null], ['b', null]])
  })
})

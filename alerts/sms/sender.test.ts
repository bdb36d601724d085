import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../../demo/index.ts'
import { enqueue, failedMessages, outboxMessages } from './outbox.ts'
import { verifyAudit } from '../../common/audit/index.ts'
import { backoff, SEND_BUDGET_MS, startSmsSender, type SmsSender, type SmsSenderOptions } from './sender.ts'
import { flakyDb, ManualClock, memoryLog } from './testdata/support.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway } from './twilioGateway.ts'

const TO = '+8613800138000'
const FROM = '+15005550006'
const CALLBACK = 'https://jiancha.example.gov.cn/twilio/sms/status'
/** the API timeout of the tests: calls of a loaded machine end well within it */
const ROOMY_MS = 3000
/** the API timeout of the tests of a provider that hangs: they end soon */
const HANG_MS = 300

/** overlap is the most requests the fake was answering at once. */
function overlap(reqs: { at: number; answeredAt?: number }[]): number {
  const marks = reqs.flatMap((r) => [[r.at, 1], [r.answeredAt ?? Infinity, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let n = 0
  let most = 0
  for (const [, d] of marks) most = Math.max(most, (n += d))
  return most
}


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
  /**
   * The API timeout: room enough that a loaded machine does not turn calls into timeouts
   * (an unknown outcome stays 'sending'); HANG_MS in the tests of a provider that hangs.
   */
  const start = (o: Partial<SmsSenderOptions> = {}, twilio: FakeTwilio = fake, timeoutMs = ROOMY_MS) => {
    const client = createTwilioClient({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, timeoutMs })
    // a poll far away: the test ticks by hand
    changes.length = 0
    sender = startSmsSender({
      db, gateway: twilioGateway(client, { from: FROM }), clock, log, statusCallbackUrl: CALLBACK, pollMs: 3_600_000, batch: 16,
      onChange: (id) => changes.push(id), ...o,
    })
    return sender
  }
  const row = async (ref: string) => (await outboxMessages(db, ref))[0]!
  const auditOf = async (id: number) =>
    (await db.query<{ actor: string; action: string; detail: unknown }>('SELECT actor, action, detail FROM audit_log WHERE subject = $1 ORDER BY seq', [`sms:${id}`])).rows
  const posts = () => fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)
  /** another fake Twilio, e.g. a slow one, closed after the test */
  const extra: FakeTwilio[] = []
  const otherFake = async (o: FakeTwilioOptions) => {
    const f = await startFakeTwilio(o)
    extra.push(f)
    return f
  }
  const many = async (n: number, prefix = 'm') => {
    for (let i = 0; i < n; i++) await enqueue(db, `${prefix}${i}`, TO, `${prefix}${i}`)
  }

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
    for (const f of extra.splice(0)) await f.close()
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
    const s = start({}, fake, HANG_MS)
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
    const s = start({}, fake, HANG_MS)
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

  it('drains a queue in batches, at most `concurrency` requests in flight, each message once and audited', async () => {
    const slow = await otherFake({ latencyMs: 40 })
    await many(40)
    const s = start({ concurrency: 4, batch: 16 }, slow)
    expect(await s.tick()).toBe(40)
    const creates = slow.requests.filter((r) => r.method === 'POST')
    expect(creates).toHaveLength(40)
    expect(overlap(creates)).toBeLessThanOrEqual(4)
    expect(overlap(creates)).toBeGreaterThan(1)
    expect(new Set(slow.messages.map((m) => m.body)).size).toBe(40)
    const rows = await outboxMessages(db)
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && slow.messages.some((m) => m.sid === r.twilioSid))).toBe(true)
    expect(new Set(changes)).toEqual(new Set(rows.map((r) => r.id)))
    const audits = await db.query<{ subject: string }>("SELECT subject FROM audit_log WHERE action = 'sms.sent' AND subject = ANY($1::text[])", [rows.map((r) => `sms:${r.id}`)])
    expect(audits.rows).toHaveLength(40)
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })

  it('honours Retry-After: after a 429 nothing is sent until it has passed', async () => {
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '1' })
    await many(3)
    const s = start({ concurrency: 1 })
    expect(await s.tick()).toBe(3)
    const creates = fake.requests.filter((r) => r.method === 'POST')
    expect(creates.map((r) => r.status)).toEqual([429, 201, 201])
    expect(creates[1]!.at - creates[0]!.answeredAt!).toBeGreaterThanOrEqual(950)
    expect(log.lines.some((l) => l.msg.includes('slow down'))).toBe(true)
    // the refused one waits its backoff (at least the Retry-After) as pending: Twilio does not have it
    expect(await row('m0')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(clock.now() + 2000) })
    clock.advance(2000)
    expect(await s.tick()).toBe(1)
    expect(await row('m0')).toMatchObject({ status: 'sent', attempts: 2 })
    expect(fake.messages).toHaveLength(3)
  })

  it('keeps up with a rate-limited provider without giving messages up', async () => {
    const limited = await otherFake({ rateLimit: { perSecond: 10, retryAfterS: 1 } })
    await many(25)
    const s = start({ concurrency: 8, batch: 32 }, limited)
    for (let i = 0; i < 10 && (await outboxMessages(db)).some((r) => r.status !== 'sent'); i++) {
      await s.tick()
      clock.advance(2000)
    }
    expect(limited.rateLimited).toBeGreaterThan(0)
    expect((await outboxMessages(db)).map((r) => r.status)).toEqual(Array(25).fill('sent'))
    expect(new Set(limited.messages.map((m) => m.body)).size).toBe(25)
    expect(limited.messages).toHaveLength(25)
  })

  it('lets several senders share the outbox, each message sent once', async () => {
    await many(60)
    const a = start({ concurrency: 4, batch: 8 })
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: ROOMY_MS })
    const b = startSmsSender({ db, gateway: twilioGateway(client, { from: FROM }), clock, log, statusCallbackUrl: CALLBACK, pollMs: 3_600_000, concurrency: 4, batch: 8 })
    try {
      const [na, nb] = await Promise.all([a.tick(), b.tick()])
      expect(na + nb).toBe(60)
    } finally {
      await b.stop()
    }
    expect(fake.messages).toHaveLength(60)
    expect(new Set(fake.messages.map((m) => m.body)).size).toBe(60)
    expect((await outboxMessages(db)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true)
  })

  it('gives back, untried, the rows it claimed when it stops', async () => {
    const slow = await otherFake({ latencyMs: 150 })
    await many(10)
    const s = start({ concurrency: 1, batch: 10 }, slow) // its first pass starts at once
    await new Promise((r) => setTimeout(r, 200))
    await s.stop()
    const sent = slow.messages.length
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(sent).toBeLessThan(10)
    const rows = await outboxMessages(db)
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(sent)
    // as they were: pending, the attempt not counted, due at once
    expect(rows.filter((r) => r.status !== 'sent').every((r) => r.status === 'pending' && r.attempts === 0 && r.nextAttemptAt === null)).toBe(true)
    expect(await start({ concurrency: 4 }, slow).tick()).toBe(10 - sent)
    expect(slow.messages).toHaveLength(10)
    expect(new Set(slow.messages.map((m) => m.body)).size).toBe(10)
  })

  it('sends a row only while enough of its lease is left for a call to end', async () => {
    // A lease 600 ms longer than a call may take: rows whose turn comes later are given back.
    const slow = await otherFake({ latencyMs: 250 })
    await many(4)
    // a loaded machine must not turn the 250 ms calls into timeouts (an unknown outcome stays 'sending')
    const s = start({ concurrency: 1, batch: 4, leaseMs: SEND_BUDGET_MS + 600 }, slow)
    for (let i = 0; i < 6 && (await outboxMessages(db)).some((r) => r.status !== 'sent'); i++) await s.tick()
    expect(log.lines.filter((l) => l.msg.includes('given back')).length).toBeGreaterThanOrEqual(1)
    // each sent once, in a claim of its own; a row given back did not count an attempt
    expect(slow.messages).toHaveLength(4)
    expect(new Set(slow.messages.map((m) => m.body)).size).toBe(4)
    expect((await outboxMessages(db)).map((r) => [r.status, r.attempts])).toEqual(Array(4).fill(['sent', 1]))
  })

  it('leaves a batch that only failed for the next poll, even on a clock that races ahead', async () => {
    const down = await otherFake({})
    down.failNext(100, 500)
    await many(3)
    // A demo clock: every retry is already due when asked again.
    let t = clock.now()
    const racing = { now: () => (t += 3_600_000) }
    const client = createTwilioClient({ accountSid: down.accountSid, authToken: down.authToken, baseUrl: down.url, timeoutMs: ROOMY_MS })
    sender = startSmsSender({ db, gateway: twilioGateway(client, { from: FROM }), clock: racing, log, pollMs: 3_600_000, batch: 3 })
    await sender.tick()
    expect(down.requests.map((r) => r.status)).toEqual([500, 500, 500])
    expect((await outboxMessages(db)).map((r) => [r.status, r.attempts])).toEqual(Array(3).fill(['sending', 1]))
  })

  it('survives losing the database: logs, backs off instead of hammering it, and resumes', async () => {
    let down = true
    const calls = { n: 0 }
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: ROOMY_MS })
    const errors: Error[] = []
    sender = startSmsSender({ db: flakyDb(db, () => down, calls), gateway: twilioGateway(client, { from: FROM }), clock, log, pollMs: 50, onError: (e) => errors.push(e) })
    await new Promise((r) => setTimeout(r, 1500))
    // 50 ms polls would be 30 tries; doubling waits (100, 200, 400, 800 ms) make about five
    expect(calls.n).toBeGreaterThanOrEqual(2)
    expect(calls.n).toBeLessThanOrEqual(8)
    expect(errors.length).toBe(calls.n)
    expect(log.lines.filter((l) => l.level === 'error' && l.msg.includes('pass failed'))).toHaveLength(calls.n)
    await enqueue(db, 'after', TO, 'after the outage')
    down = false
    const deadline = Date.now() + 10_000
    while (fake.messages.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(fake.messages.map((m) => m.body)).toEqual(['after the outage'])
    await new Promise((r) => setTimeout(r, 200))
    expect(await row('after')).toMatchObject({ status: 'sent' })
  })
})

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import type { Queryable } from '../../common/db/index.ts'
import { applyDeliveryReport, claimDue, enqueue, failedMessages, messagesByIds, outboxCounts, outboxMessages, recentMessages, recordAttempts } from './outbox.ts'

const TO = '+8613800138000'
const T0 = new Date('2026-10-20T02:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)
const claimNext = async (q: Queryable, now: Date, leaseUntil: Date) => (await claimDue(q, now, leaseUntil, 1))[0] ?? null
const recordSent = (q: Queryable, id: number, sid: string) => recordAttempts(q, [{ id, result: 'sent', sid }])

describe.each(openTestDbs())('sms outbox on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(() => db?.close())
  beforeEach(async () => {
    await db.query('DELETE FROM sms_outbox')
  })

  it('enqueues a message once per ref and recipient', async () => {
    const first = await db.transaction((tx) => enqueue(tx, 'k1', TO, 'a', 'market'))
    expect(first).toBeTypeOf('number')
    expect(await db.transaction((tx) => enqueue(tx, 'k1', TO, 'a again'))).toBeNull()
    expect(await enqueue(db, 'k1', '+8613900139000', 'a')).toBeGreaterThan(first!)
    expect((await outboxMessages(db, 'k1')).map((m) => [m.recipient, m.body, m.status, m.attempts])).toEqual([
      [TO, 'a', 'pending', 0],
      ['+8613900139000', 'a', 'pending', 0],
    ])
    expect((await messagesByIds(db, [first!])).map((m) => [m.id, m.dept])).toEqual([[first, 'market']])
  })

  it('lists recent messages newest first, one department or all', async () => {
    await enqueue(db, 'k1', TO, 'a', 'market')
    await enqueue(db, 'k2', TO, 'b', 'health')
    await enqueue(db, 'k3', TO, 'c')
    await enqueue(db, 'k4', TO, 'd', 'market')
    expect((await recentMessages(db, 10)).map((m) => m.ref)).toEqual(['k4', 'k3', 'k2', 'k1'])
    expect((await recentMessages(db, 2)).map((m) => m.ref)).toEqual(['k4', 'k3'])
    expect((await recentMessages(db, 10, 'market')).map((m) => m.ref)).toEqual(['k4', 'k1'])
    expect(await recentMessages(db, 10, 'env')).toEqual([])
  })

  it('claims due rows oldest first, leased as sending, and says what each was', async () => {
    await enqueue(db, 'k1', TO, 'a')
    await enqueue(db, 'k2', TO, 'b')
    const c1 = await claimNext(db, T0, later(60_000))
    expect(c1).toMatchObject({ ref: 'k1', status: 'sending', was: 'pending', attempts: 1, nextAttemptAt: later(60_000) })
    expect(await claimNext(db, T0, later(60_000))).toMatchObject({ ref: 'k2' })
    expect(await claimNext(db, T0, later(60_000))).toBeNull()
    // the lease ends: a row still sending is due again, and says it was sending
    expect(await claimNext(db, later(60_000), later(120_000))).toMatchObject({ ref: 'k1', was: 'sending', attempts: 2 })
  })

  it('claims a batch oldest first in one statement, and two claimers never share a row', async () => {
    for (let i = 1; i <= 7; i++) await enqueue(db, `k${i}`, TO, `m${i}`)
    const a = await claimDue(db, T0, later(60_000), 3)
    expect(a.map((c) => c.ref)).toEqual(['k1', 'k2', 'k3'])
    expect(a.every((c) => c.status === 'sending' && c.was === 'pending' && c.attempts === 1)).toBe(true)
    // Two claims at once: whatever each takes, no row is taken twice.
    const [b, c] = await Promise.all([claimDue(db, T0, later(60_000), 3), claimDue(db, T0, later(60_000), 3)])
    const ids = [...b, ...c].map((x) => x.ref)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(4)
    expect(await claimDue(db, T0, later(60_000), 10)).toEqual([])
    expect(await outboxCounts(db)).toEqual({ pending: 0, sending: 7, failed: 0 })
  })

  it('records a batch of results at once, each kind only on a row still sending', async () => {
    for (const k of ['s', 'r', 'f', 'x', 'late']) await enqueue(db, k, TO, k)
    const [s, r, f, x, late] = await claimDue(db, T0, later(60_000), 5)
    await applyDeliveryReport(db, { sid: 'SM-late', id: late!.id, status: 'delivered' })
    await recordAttempts(db, [
      { id: s!.id, result: 'sent', sid: 'SM-s' },
      { id: r!.id, result: 'retry', status: 'sending', at: later(4000), error: 'twilio 500' },
      { id: f!.id, result: 'failed', error: 'twilio 400 code 21211' },
      { id: x!.id, result: 'released', was: 'pending' },
      // a report came first: the row stays delivered
      { id: late!.id, result: 'failed', error: 'too late' },
    ])
    const by = Object.fromEntries((await outboxMessages(db)).map((m) => [m.ref, m]))
    expect(by.s).toMatchObject({ status: 'sent', twilioSid: 'SM-s', nextAttemptAt: null, attempts: 1 })
    expect(by.r).toMatchObject({ status: 'sending', nextAttemptAt: later(4000), error: 'twilio 500' })
    expect(by.f).toMatchObject({ status: 'failed', error: 'twilio 400 code 21211', nextAttemptAt: null })
    // given back untried: as it was, the attempt not counted, due at once
    expect(by.x).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: null })
    expect(by.late).toMatchObject({ status: 'delivered', error: null })
    expect(await outboxCounts(db)).toEqual({ pending: 1, sending: 1, failed: 1 })
    await recordAttempts(db, [])
  })

  it('retries a row as pending or sending, then fails it for good', async () => {
    await enqueue(db, 'k1', TO, 'a')
    const c = (await claimNext(db, T0, later(60_000)))!
    await recordAttempts(db, [{ id: c.id, result: 'retry', status: 'pending', at: later(2000), error: 'twilio 429' }])
    expect(await claimNext(db, later(1999), later(60_000))).toBeNull()
    expect(await claimNext(db, later(2000), later(60_000))).toMatchObject({ was: 'pending', attempts: 2 })
    await recordAttempts(db, [{ id: c.id, result: 'failed', error: 'twilio 400 code 21211: invalid' }])
    expect(await failedMessages(db)).toMatchObject([{ ref: 'k1', status: 'failed', error: 'twilio 400 code 21211: invalid', attempts: 2 }])
    expect(await claimNext(db, later(10 ** 9), later(10 ** 9))).toBeNull()
  })

  it('moves a row forward on delivery reports, never back', async () => {
    await enqueue(db, 'k1', TO, 'a')
    const c = (await claimNext(db, T0, later(60_000)))!
    // the callback beats the sender's own update: found by the outbox id
    expect(await applyDeliveryReport(db, { sid: 'SM1', id: c.id, status: 'sent' })).toBe(c.id)
    await recordSent(db, c.id, 'SM1')
    expect(await applyDeliveryReport(db, { sid: 'SM1', status: 'delivered' })).toBe(c.id)
    expect(await applyDeliveryReport(db, { sid: 'SM1', status: 'sent' })).toBeNull()
    expect(await applyDeliveryReport(db, { sid: 'SM1', status: 'undelivered' })).toBeNull()
    await recordSent(db, c.id, 'SM1')
    expect(await outboxMessages(db, 'k1')).toMatchObject([{ status: 'delivered', twilioSid: 'SM1', nextAttemptAt: null }])
  })

  it('does not let a report for another message take a row by its outbox id', async () => {
    await enqueue(db, 'k1', TO, 'a')
    const c = (await claimNext(db, T0, later(60_000)))!
    await recordSent(db, c.id, 'SM1')
    expect(await applyDeliveryReport(db, { sid: 'SM2', id: c.id, status: 'delivered' })).toBeNull()
  })

  it('lists undelivered messages among the failed ones, with the error', async () => {
    await enqueue(db, 'k1', TO, 'a')
    const c = (await claimNext(db, T0, later(60_000)))!
    await recordSent(db, c.id, 'SM1')
    await applyDeliveryReport(db, { sid: 'SM1', status: 'undelivered', error: 'twilio error 30003' })
    expect(await failedMessages(db)).toMatchObject([{ status: 'undelivered', twilioSid: 'SM1', error: 'twilio error 30003' }])
  })
})

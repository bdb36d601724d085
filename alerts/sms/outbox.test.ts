import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { applyDeliveryReport, claimNext, enqueue, failedMessages, messagesByIds, outboxMessages, recentMessages, recordFailed, recordSent, scheduleRetry } from './outbox.ts'

const TO = '+8613800138000'
const T0 = new Date('2026-10-20T02:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

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

  it('retries a row as pending or sending, then fails it for good', async () => {
    await enqueue(db, 'k1', TO, 'a')
    const c = (await claimNext(db, T0, later(60_000)))!
    await scheduleRetry(db, c.id, 'pending', later(2000), 'twilio 429')
    expect(await claimNext(db, later(1999), later(60_000))).toBeNull()
    expect(await claimNext(db, later(2000), later(60_000))).toMatchObject({ was: 'pending', attempts: 2 })
    await recordFailed(db, c.id, 'twilio 400 code 21211: invalid')
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

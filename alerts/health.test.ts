import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db, Queryable } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { alertsProbe } from './health.ts'
import { claimDue, enqueue, recordAttempts } from './sms/outbox.ts'

describe.each(openTestDbs())('the alerts status on $name', (backend) => {
  let db: Db

  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(() => db?.close())

  it('counts the outbox and passes on the notifier\'s last error', async () => {
    for (const k of ['a', 'b', 'c', 'd']) await enqueue(db, k, '+8613800138000', k)
    const [a, b] = await claimDue(db, new Date(), new Date(Date.now() + 60_000), 2)
    await recordAttempts(db, [{ id: a!.id, result: 'failed', error: 'twilio 400' }])
    const lastError = { at: new Date().toISOString(), message: 'connect ECONNREFUSED' }
    const p = alertsProbe({ db, notifier: () => ({ lastError: () => lastError }) })
    const d = await p.details()
    expect(d).toEqual({ outbox: { queued: 2, sending: 1, failed: 1 }, notifier: { running: true, lastError } })
    expect(b!.status).toBe('sending')
    // A failure just now keeps it degraded; one older than 30 s does not.
    expect(p.problems(d, Date.now())).toEqual(['recent_error'])
    expect(p.problems(d, Date.now() + 31_000)).toEqual([])
  })

  it('passes on the alert service\'s figures, and is degraded for a while after it failed to store', async () => {
    const lastError = { at: new Date().toISOString(), message: 'connect ECONNREFUSED' }
    let service = { stored: 12, deadLetters: 1, lastError: lastError as typeof lastError | null }
    const p = alertsProbe({ db, notifier: () => ({ lastError: () => null }), service: () => service })
    const d = await p.details()
    expect(d.service).toEqual({ stored: 12, deadLetters: 1, lastError })
    expect(p.problems(d, Date.now())).toEqual(['recent_error'])
    expect(p.problems(d, Date.now() + 31_000)).toEqual([])
    service = { ...service, lastError: null }
    expect(p.problems(await p.details(), Date.now())).toEqual([])
    // A process without the service says nothing of it.
    expect('service' in (await alertsProbe({ db, notifier: () => undefined }).details())).toBe(false)
  })

  it('says when no notifier runs', async () => {
    const p = alertsProbe({ db, notifier: () => undefined })
    const d = await p.details()
    expect(d.notifier).toEqual({ running: false, lastError: null })
    expect(p.problems(d, Date.now())).toEqual(['notifier_stopped'])
  })

  it('reports an outbox it cannot count, from a database that fails or does not answer in time, as unknown without throwing', async () => {
    const gone: Queryable = { query: () => Promise.reject(new Error('connection terminated')) }
    expect((await alertsProbe({ db: gone, notifier: () => undefined }).details()).outbox).toBeNull()
    const stuck: Queryable = { query: () => new Promise(() => {}) }
    const t0 = Date.now()
    expect((await alertsProbe({ db: stuck, notifier: () => undefined, timeoutMs: 50 }).details()).outbox).toBeNull()
    expect(Date.now() - t0).toBeLessThan(1000)
  })
})

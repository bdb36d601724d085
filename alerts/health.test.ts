import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { alertsHealth } from './health.ts'
import { claimDue, enqueue, recordAttempts } from './sms/outbox.ts'

describe.each(openTestDbs())('alerts health on $name', (backend) => {
  let db: Db
  let nats: TestServer
  let bus: Bus

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('health')
    bus = await Bus.connect({ url: nats.url, name: 'health-test', log: () => {} })
  })
  afterAll(async () => {
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('counts the outbox and passes on the notifier\'s last error', async () => {
    for (const k of ['a', 'b', 'c', 'd']) await enqueue(db, k, '+8613800138000', k)
    const [a, b] = await claimDue(db, new Date(), new Date(Date.now() + 60_000), 2)
    await recordAttempts(db, [{ id: a!.id, result: 'failed', error: 'twilio 400' }])
    const lastError = { at: '2026-11-24T02:00:00.000Z', message: 'connect ECONNREFUSED' }
    expect(await alertsHealth({ db, bus, notifier: () => ({ lastError: () => lastError }) })).toEqual({
      ok: true, db: { ok: true }, bus: { ok: true }, notifier: { running: true, queued: 2, sending: 1, failed: 1, lastError },
    })
    expect(b!.status).toBe('sending')
    expect((await alertsHealth({ db, bus, notifier: () => undefined })).notifier).toMatchObject({ running: false, lastError: null, queued: 2 })
  })

  it('reports a database that fails or does not answer in time, without throwing', async () => {
    const gone: Db = { ...db, backend: db.backend, timescale: db.timescale, query: () => Promise.reject(new Error('connection terminated')), transaction: db.transaction, close: db.close }
    expect(await alertsHealth({ db: gone, bus, notifier: () => undefined })).toMatchObject({ ok: false, db: { ok: false, error: 'connection terminated' }, bus: { ok: true } })
    const stuck: Db = { ...gone, query: () => new Promise(() => {}) }
    expect((await alertsHealth({ db: stuck, bus, notifier: () => undefined, timeoutMs: 50 })).db).toEqual({ ok: false, error: 'no answer within 50 ms' })
  })

  it('reports the bus while it is down', async () => {
    await nats.stop()
    try {
      const deadline = Date.now() + 10_000
      while (bus.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(await alertsHealth({ db, bus, notifier: () => undefined })).toMatchObject({ ok: false, db: { ok: true }, bus: { ok: false } })
    } finally {
      await nats.start()
    }
    const deadline = Date.now() + 15_000
    while (!bus.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect((await alertsHealth({ db, bus, notifier: () => undefined })).ok).toBe(true)
  })
})

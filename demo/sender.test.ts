import { afterEach, describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { MAX_BATCH, sendEvents } from './sender.ts'
import { freePort, startFakeCollector, type FakeCollector } from './testdata/fakeCollector.ts'

const ev = (n: number): CaseEvent => ({
  id: `t-${n}`, source: 'simulator', kind: 'approval', type: 'submitted', caseId: `SIM-A-${n}`, dept: 'tax',
  at: '2026-03-02T09:00:00+08:00', attrs: { itemCode: 'TAX-001' },
})
const events = (n: number) => Array.from({ length: n }, (_, i) => ev(i))

let fake: FakeCollector | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('sendEvents', () => {
  it('posts batches with the bearer token and counts accepted, duplicate and rejected', async () => {
    fake = await startFakeCollector({ reject: (e) => (e.id === 't-4' ? { field: 'attrs.itemCode', message: 'unknown item' } : null) })
    const logs: string[] = []
    const batches: number[] = []
    const first = await sendEvents(events(7), { url: `${fake.url}/`, token: 'sekret', batchSize: 3, log: (m) => logs.push(m), onBatch: (c) => batches.push(c.sent) })
    expect(first).toEqual({ sent: 7, accepted: 6, duplicate: 0, rejected: 1, failed: 0 })
    expect(batches).toEqual([3, 3, 1])
    expect(fake.batches.map((b) => b.length)).toEqual([3, 3, 1])
    expect(fake.batches.flat()).toEqual(events(7))
    expect(fake.auth).toEqual(['Bearer sekret', 'Bearer sekret', 'Bearer sekret'])
    expect(logs.join('\n')).toContain('t-4 (attrs.itemCode: unknown item)')
    const again = await sendEvents(events(3), { url: fake.url, token: 'sekret', log: () => {} })
    expect(again).toEqual({ sent: 3, accepted: 0, duplicate: 3, rejected: 0, failed: 0 })
  })

  it('never puts more than 500 events in one request', async () => {
    fake = await startFakeCollector()
    const c = await sendEvents(events(1_201), { url: fake.url, token: 't', batchSize: 10_000 })
    expect(fake.batches.map((b) => b.length)).toEqual([MAX_BATCH, MAX_BATCH, 201])
    expect(c.accepted).toBe(1_201)
  })

  it('retries a 503 until the collector answers 200', async () => {
    fake = await startFakeCollector({ script: (n) => (n <= 2 ? { status: 503, body: 'warming up' } : undefined) })
    const logs: string[] = []
    const c = await sendEvents(events(4), { url: fake.url, token: 't', retryBaseMs: 10, log: (m) => logs.push(m) })
    expect(c).toEqual({ sent: 4, accepted: 4, duplicate: 0, rejected: 0, failed: 0 })
    expect(fake.batches.length).toBe(3)
    expect(logs.filter((m) => m.includes('HTTP 503 warming up')).length).toBe(2)
  })

  it('retries while nothing listens, then delivers once the collector is up', async () => {
    const port = await freePort()
    const logs: string[] = []
    const sending = sendEvents(events(2), { url: `http://127.0.0.1:${port}`, token: 't', retryBaseMs: 20, retryMaxMs: 50, log: (m) => logs.push(m) })
    await new Promise((r) => setTimeout(r, 150))
    fake = await startFakeCollector({ port })
    expect(await sending).toMatchObject({ sent: 2, accepted: 2 })
    expect(logs.some((m) => m.includes('not ready'))).toBe(true)
  })

  it('counts a 4xx batch as failed and logs it, without retrying', async () => {
    fake = await startFakeCollector({ script: () => ({ status: 401, body: '{"error":"bad token"}' }) })
    const logs: string[] = []
    const c = await sendEvents(events(5), { url: fake.url, token: 'wrong', batchSize: 2, log: (m) => logs.push(m) })
    expect(c).toEqual({ sent: 5, accepted: 0, duplicate: 0, rejected: 0, failed: 5 })
    expect(fake.batches.length).toBe(3)
    expect(logs[0]).toMatch(/refused a batch of 2 events: HTTP 401 .*bad token/)
  })

  it('counts events the collector did not report on as failed', async () => {
    fake = await startFakeCollector({ script: (n) => (n === 1 ? { status: 200, body: '{"accepted":1,"duplicate":0,"rejected":0}' } : { status: 200, body: 'ok' }) })
    const logs: string[] = []
    const c = await sendEvents(events(4), { url: fake.url, token: 't', batchSize: 2, log: (m) => logs.push(m) })
    expect(c).toEqual({ sent: 4, accepted: 1, duplicate: 0, rejected: 0, failed: 3 })
    expect(logs.length).toBe(2)
  })

  it('stops retrying when aborted', async () => {
    fake = await startFakeCollector({ script: () => ({ status: 503 }) })
    const ac = new AbortController()
    const sending = sendEvents(events(1), { url: fake.url, token: 't', retryBaseMs: 10_000, signal: ac.signal, log: () => {} })
    await new Promise((r) => setTimeout(r, 100))
    ac.abort(new Error('stop'))
    await expect(sending).rejects.toThrow('stop')
  })
})

/**
 * The collector over HTTP, on a real bus (a private nats-server) and a real database
 * for the ids already stored: the README's own example, media types, the answers when
 * PostgreSQL or NATS is down, events the bus can never take, and back-pressure.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import { SourceAuth } from '../common/http/index.ts'
import { logger } from '../common/log/index.ts'
import type { HealthReport } from '../common/contract/index.ts'
import type { Backpressure, Collector } from './server.ts'
import { busPublisher } from './publisher.ts'
import { startCollector } from './server.ts'

const TOKEN = 'a-long-secret-token-1234'
const NOW = Date.parse('2026-11-23T12:00:00+08:00')
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id, source: 'hall', kind: 'approval', type: 'accepted', caseId: `A-${id}`, dept: 'market', at: '2026-11-23T10:00:00+08:00',
  attrs: { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }, ...extra,
})

describe('the collector', () => {
  let nats: TestServer
  let bus: Bus
  let collector: Collector
  let seenFails = false
  let health: HealthReport = { state: 'ok', components: [] }
  const pressure: Backpressure & { value: number } = { value: 0, bound: 1000, behind: () => pressure.value }

  beforeAll(async () => {
    nats = await startTestServer('collector')
    bus = await Bus.connect({ url: nats.url, name: 'collector-test', log: () => {} })
    collector = await startCollector({
      host: '127.0.0.1', port: 0, maxBatch: 100, log: logger('test').child('collector'),
      auth: new SourceAuth([{ name: 'hall', token: TOKEN }]),
      backpressure: pressure,
      health: async () => health,
      deps: {
        now: () => NOW, maxFutureMs: 600_000, publish: busPublisher(bus),
        // What the database answers; a reset connection makes it throw.
        seen: async (source, ids) => {
          if (seenFails) throw new Error('Connection terminated unexpectedly')
          return new Set(ids.filter((id) => source === 'hall' && id === 'old'))
        },
      },
    })
  })
  afterAll(async () => {
    await collector?.close()
    await bus?.close()
    await nats?.dispose()
  })

  const post = async (body: string, type = 'application/json') => {
    const r = await fetch(`${collector.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type }, body })
    return { status: r.status, retryAfter: r.headers.get('retry-after'), json: (await r.json()) as Record<string, any> }
  }

  it('takes the README\'s example as written: a pretty-printed JSON body is JSON', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const block = /## Sending events[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!
    const curl = block.slice(block.indexOf('curl')).replace('localhost:8090', collector.url.replace('http://', ''))
    // curl in a child process, as a user would run it (async: the collector answers from this process).
    const out = JSON.parse((await promisify(execFile)('sh', ['-c', curl], { encoding: 'utf8' })).stdout) as Record<string, unknown>
    expect(out).toMatchObject({ accepted: 1, rejected: 0, failed: 0 })
  })

  it('answers /healthz with the report of its process: 200 when ok, 503 otherwise', async () => {
    const r = await fetch(`${collector.url}/healthz`)
    expect([r.status, await r.json()]).toEqual([200, health])
    health = { state: 'down', components: [] }
    try {
      expect((await fetch(`${collector.url}/healthz`)).status).toBe(503)
    } finally {
      health = { state: 'ok', components: [] }
    }
    expect((await fetch(`${collector.url}/healthz`, { method: 'POST' })).status).toBe(405)
  })

  it('reads NDJSON only under its media type, and refuses other types with 415', async () => {
    const lines = `${JSON.stringify(event('n1'))}\n${JSON.stringify(event('n2'))}\n`
    expect((await post(lines, 'application/x-ndjson')).json).toMatchObject({ accepted: 2 })
    expect(await post(lines)).toMatchObject({ status: 400, json: { error: expect.stringContaining('application/x-ndjson') } })
    expect(await post('id=1', 'application/x-www-form-urlencoded')).toMatchObject({ status: 415 })
  })

  it('rejects, never asks to resend, an event too large for the bus or nested too deep', async () => {
    const big = event('big', { attrs: { ...event('x').attrs, scan: 'x'.repeat(1_100_000) } })
    // Written as text: JSON.stringify itself cannot go 100 000 levels deep.
    const deep = `${JSON.stringify(event('deep')).slice(0, -1)},"extra":${'['.repeat(100_000)}"leaf"${']'.repeat(100_000)}}`
    const r = await post(`[${JSON.stringify(big)},${deep},${JSON.stringify(event('fine'))}]`)
    expect(r.status).toBe(200)
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { field: '(event)', message: expect.stringContaining('fit on the bus') } })
    expect(r.json.results[1]).toMatchObject({ status: 'rejected', error: { field: 'extra', message: expect.stringContaining('deeper than') } })
    expect(r.json.results[2]).toMatchObject({ status: 'accepted' })
  })

  it('answers 503 with Retry-After, storing nothing, while the database cannot say what is new', async () => {
    seenFails = true
    const before = collector.refused()
    try {
      const r = await post(JSON.stringify([event('db1'), event('db2')]))
      expect(r).toMatchObject({ status: 503, retryAfter: '5', json: { failed: 2, accepted: 0 } })
      // Counted for the status: one request refused, whatever it carried.
      expect(collector.refused()).toEqual({ ...before, unavailable: before.unavailable + 1 })
      expect(r.json.results[0].error).toMatchObject({ field: '(database)', message: expect.stringContaining('send again') })
    } finally {
      seenFails = false
    }
  })

  it('pushes back with 429 and Retry-After while the pipeline lags beyond its bound', async () => {
    pressure.value = 1001
    const before = collector.refused()
    try {
      const r = await post(JSON.stringify(event('bp')))
      expect(r).toMatchObject({ status: 429, retryAfter: '5', json: { error: expect.stringContaining('1001 events behind') } })
      expect(collector.refused()).toEqual({ ...before, tooMany: before.tooMany + 1 })
    } finally {
      pressure.value = 0
    }
    expect((await post(JSON.stringify(event('bp')))).json).toMatchObject({ accepted: 1 })
  })

  it('answers 503 within a few seconds while NATS is down, and takes the resent events once it is back', async () => {
    await nats.stop()
    try {
      const t0 = Date.now()
      const r = await post(JSON.stringify([event('down1'), event('down2')]))
      expect(r).toMatchObject({ status: 503, retryAfter: '5', json: { failed: 2 } })
      expect(Date.now() - t0).toBeLessThan(4000)
    } finally {
      await nats.start()
    }
    const again = async () => (await post(JSON.stringify([event('down1'), event('down2')]))).json
    let got: Record<string, any> = {}
    for (let i = 0; i < 50 && !(got.accepted + got.duplicate === 2); i++) {
      got = await again()
      if (got.failed) await new Promise((r) => setTimeout(r, 200))
    }
    expect(got.accepted + got.duplicate).toBe(2)
  })
})

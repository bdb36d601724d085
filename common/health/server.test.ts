import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthReport } from '../contract/index.ts'
import { memoryLog } from '../log/testing.ts'
import { type HealthServer, startHealthServer } from './server.ts'

const OK: HealthReport = { state: 'ok', components: [] }

describe('the health server', () => {
  let server: HealthServer
  let report: HealthReport | Error = OK
  const log = memoryLog()

  beforeAll(async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, log, report: async () => {
      if (report instanceof Error) throw report
      return report
    } })
  })
  afterAll(() => server?.close())

  it('listens on a free port when given 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)
  })

  it('answers /healthz with the report: 200 when ok, 503 when degraded or down, never cached', async () => {
    const r = await fetch(`${server.url}/healthz`)
    expect([r.status, r.headers.get('cache-control'), await r.json()]).toEqual([200, 'no-store', OK])
    for (const state of ['degraded', 'down'] as const) {
      report = { state, components: [] }
      const bad = await fetch(`${server.url}/healthz?x=1`)
      expect([bad.status, ((await bad.json()) as HealthReport).state]).toEqual([503, state])
    }
    report = OK
    expect((await fetch(`${server.url}/healthz`, { method: 'HEAD' })).status).toBe(200)
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' })
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
  })

  it('answers 404 elsewhere, and 500 when the report fails, logging it', async () => {
    const r = await fetch(`${server.url}/api/v1/events`)
    expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([404, expect.stringContaining('only /healthz here')])
    report = new Error('board broken')
    const failed = await fetch(`${server.url}/healthz`)
    expect([failed.status, await failed.json()]).toEqual([500, { error: 'internal error' }])
    expect(log.lines.some((l) => l.level === 'error' && l.fields?.error === 'board broken')).toBe(true)
    report = OK
  })
})

describe('answerHealth from afar', () => {
  it('gives each component\'s state only to a caller not on this machine, or relayed by a proxy', async () => {
    const { summaryOf, isLocal } = await import('./server.ts')
    const report = { state: 'down' as const, components: [{ component: 'rules', state: 'down', process: { host: 'h', pid: 1, started: 'x' }, problems: ['db_down'], db: { up: false, error: 'connect ECONNREFUSED 10.0.0.5:5432' } }] }
    expect(summaryOf(report as never)).toEqual({ state: 'down', components: [{ component: 'rules', state: 'down' }] })
    expect(isLocal({ socket: { remoteAddress: '127.0.0.1' }, headers: {} } as never)).toBe(true)
    expect(isLocal({ socket: { remoteAddress: '::ffff:127.0.0.1' }, headers: {} } as never)).toBe(true)
    expect(isLocal({ socket: { remoteAddress: '127.0.0.1' }, headers: { 'x-forwarded-for': '203.0.113.9' } } as never)).toBe(false)
    expect(isLocal({ socket: { remoteAddress: '10.1.2.3' }, headers: {} } as never)).toBe(false)
  })
})

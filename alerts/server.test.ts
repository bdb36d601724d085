import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthReport } from '../common/contract/index.ts'
import { type AlertsServer, startAlertsServer } from './server.ts'
import type { Handler } from './sms/webhooks.ts'
import { INBOUND_PATH, STATUS_PATH } from './sms/webhooks.ts'
import { memoryLog } from './sms/testdata/support.ts'

const HEALTHY: HealthReport = { state: 'ok', components: [] }

describe('alerts server', () => {
  let server: AlertsServer
  let health: HealthReport = HEALTHY
  const routes: Record<string, Handler> = {}
  const log = memoryLog()

  beforeAll(async () => {
    server = await startAlertsServer({ host: '127.0.0.1', port: 0, log, routes, health: async () => health })
  })
  afterAll(() => server?.close())

  it('listens on a free port when given 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)
  })

  it('answers /healthz with the report: 200 when ok, 503 when not', async () => {
    const r = await fetch(`${server.url}/healthz`)
    expect([r.status, await r.json()]).toEqual([200, HEALTHY])
    health = { state: 'down', components: [] }
    const down = await fetch(`${server.url}/healthz`)
    expect([down.status, ((await down.json()) as HealthReport).state]).toEqual([503, 'down'])
    health = HEALTHY
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405)
  })

  it('hands the webhooks mounted after start to their handlers, query and all', async () => {
    // Before the notifier mounts them: a clear 404.
    const before = await fetch(`${server.url}${INBOUND_PATH}`, { method: 'POST' })
    expect([before.status, ((await before.json()) as { error: string }).error]).toEqual([404, expect.stringContaining('no SMS webhooks here')])
    const seen: string[] = []
    routes[STATUS_PATH] = async (req, res) => {
      seen.push(req.url ?? '')
      res.writeHead(204).end()
    }
    expect((await fetch(`${server.url}${STATUS_PATH}?outbox=7`, { method: 'POST' })).status).toBe(204)
    expect(seen).toEqual([`${STATUS_PATH}?outbox=7`])
  })

  it('answers 404 elsewhere and 500 when a handler fails, logging it', async () => {
    expect((await fetch(`${server.url}/api/v1/events`)).status).toBe(404)
    routes[INBOUND_PATH] = async () => {
      throw new Error('database gone')
    }
    const r = await fetch(`${server.url}${INBOUND_PATH}`, { method: 'POST' })
    expect([r.status, await r.json()]).toEqual([500, { error: 'internal error' }])
    expect(log.lines.some((l) => l.level === 'error' && l.fields?.error === 'database gone')).toBe(true)
  })
})

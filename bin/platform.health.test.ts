/**
 * Health in the split layout, each component a platform of its own on one database and
 * one nats-server, as `jiancha collector|rules|alerts|dashboard` run them: each one's
 * /healthz reports it, down while the database fails (a wrapper that fails on demand)
 * or the nats-server is stopped, and ok again by itself once it is back; the
 * heartbeats reach the dashboard, whose admin route shows every component and a dead
 * letter put on JIANCHA_DEAD, to admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flakyDb } from '../alerts/sms/testdata/support.ts'
import { Bus, EVENTS_STREAM, eventSubject } from '../common/bus/index.ts'
import { putDeadLetter } from '../common/bus/testdata/deadLetter.ts'
import type { ComponentName, HealthReport, PlatformStatus } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { ManualClock, signInAs, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

const PARTS: ComponentName[] = ['collector', 'rules', 'alerts', 'kpi', 'dashboard']

describe('health of the components as separate processes', () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let probe: Bus
  let down = false
  const platforms = new Map<ComponentName, Platform>()
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00'))

  const urlOf = (c: ComponentName) => {
    const p = platforms.get(c)!
    return { collector: p.collectorUrl, rules: p.rulesUrl, alerts: p.alertsUrl, kpi: p.kpiUrl, dashboard: p.dashboardUrl }[c]!
  }
  const health = async (c: ComponentName) => {
    const r = await fetch(`${urlOf(c)}/healthz`)
    return { status: r.status, body: (await r.json()) as HealthReport }
  }
  const all = async (test: (h: { status: number; body: HealthReport }) => boolean) => (await Promise.all(PARTS.map(health))).every(test)

  beforeAll(async () => {
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('health-split')
    probe = await Bus.connect({ url: nats.url, name: 'health-probe', log: () => {} })
    // The dashboard first, so that it hears the others' first heartbeats.
    for (const c of ['dashboard', 'collector', 'rules', 'alerts', 'kpi'] as const) platforms.set(c, await startTestPlatform(flakyDb(db, () => down), nats, clock, [c]))
  })
  afterAll(async () => {
    for (const p of [...platforms.values()].reverse()) await p.stop()
    await probe?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('serves each component\'s status on its own /healthz, the rules\' on RULES_PORT', async () => {
    expect(urlOf('rules')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    for (const c of PARTS) {
      const h = await health(c)
      expect([c, h.status, h.body.state, h.body.components.map((s) => s.component)]).toEqual([c, 200, 'ok', [c]])
      expect(h.body.components[0]).toMatchObject({ process: { pid: process.pid }, db: { up: true }, bus: { up: true }, problems: [] })
    }
    expect((await health('rules')).body.components[0]!.details).toMatchObject({ backlog: 0, applied: 0, deadLetters: 0, lastError: null })
  })

  it('shows an admin every component, heard over the bus, and a dead letter with its reason; nobody else', async () => {
    await putDeadLetter(probe, {
      stream: EVENTS_STREAM, seq: 9, subject: eventSubject('approval', 'market'), consumer: 'rules', tries: 5,
      error: 'the database refused it: invalid byte sequence', data: { id: 'ev-9', source: 'hall' },
    })
    const dashboard = platforms.get('dashboard')!
    const admin = await signInAs(dashboard, db, { username: 'health-admin', role: 'admin' })
    const read = async () => (await (await fetch(`${dashboard.dashboardUrl}/api/v1/admin/status`, { headers: { cookie: admin } })).json()) as PlatformStatus
    const s = (await waitFor(async () => {
      const r = await read()
      return r.components.every((c) => c.reporting) ? r : null
    }, 'every component reporting', 15_000))!
    expect(s.components.map((c) => [c.component, c.status?.state])).toEqual(PARTS.map((c) => [c, 'ok']))
    expect(s.deadLetters![0]).toMatchObject({ stream: EVENTS_STREAM, count: 1, recent: [{ id: 'ev-9', source: 'hall', tries: 5, consumer: 'rules', error: 'the database refused it: invalid byte sequence' }] })

    const dept = await signInAs(dashboard, db, { username: 'health-market', role: 'department', dept: 'market' })
    expect((await fetch(`${dashboard.dashboardUrl}/api/v1/admin/status`, { headers: { cookie: dept } })).status).toBe(403)
    expect((await fetch(`${dashboard.dashboardUrl}/api/v1/admin/status`)).status).toBe(401)
  })

  it('says down on every /healthz while the database fails, and ok again once it answers', async () => {
    down = true
    try {
      await waitFor(() => all((h) => h.status === 503), 'every /healthz to notice', 15_000)
      for (const c of PARTS) {
        const s = (await health(c)).body.components[0]!
        expect([c, s.state, s.problems[0], s.db]).toEqual([c, 'down', 'db_down', { up: false, downSince: expect.any(String), error: 'connect ECONNREFUSED 127.0.0.1:5432' }])
      }
    } finally {
      down = false
    }
    await waitFor(() => all((h) => h.status === 200), 'every /healthz to recover', 45_000)
  })

  it('says down on every /healthz while the nats-server is stopped, and ok again once it is back', async () => {
    await nats.stop()
    try {
      await waitFor(() => all((h) => h.status === 503), 'every /healthz to notice', 15_000)
      for (const c of PARTS) expect((await health(c)).body.components[0]).toMatchObject({ state: 'down', problems: ['bus_down'], db: { up: true }, bus: { up: false } })
    } finally {
      await nats.start()
    }
    await waitFor(() => all((h) => h.status === 200), 'every /healthz to recover', 45_000)
  })
})

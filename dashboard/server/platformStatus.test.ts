/**
 * The admin page's data on a real bus (a private nats-server): heartbeats heard from
 * another connection, this process's own status asked directly, the dead letters read
 * back from JIANCHA_DEAD, and what it says while the bus is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALERTS_STREAM, Bus, EVENTS_STREAM, eventSubject } from '../../common/bus/index.ts'
import { putDeadLetter } from '../../common/bus/testdata/deadLetter.ts'
import { startTestServer, type TestServer, waitFor } from '../../common/bus/testdata/harness.ts'
import type { ComponentStatus, HealthReport } from '../../common/contract/index.ts'
import { LIVE_STATUS } from '../../common/health/index.ts'
import { platformStatusFeed, type PlatformStatusFeed } from './platformStatus.ts'

const base: Omit<ComponentStatus, 'component' | 'state' | 'details'> = { process: { host: 'node-9', pid: 4242, started: '2026-11-24T01:00:00.000Z' }, problems: [], at: '2026-11-24T02:00:00.000Z', db: { up: true }, bus: { up: true } }
const rules: ComponentStatus = { ...base, component: 'rules', state: 'ok', details: { backlog: 3, watermarkLagMs: 10, applied: 7, cases: 2, deadLetters: 1, lastError: null } }
const mine: ComponentStatus = { ...base, process: { ...base.process, host: 'node-1', pid: 1 }, component: 'dashboard', state: 'ok', details: { sockets: 4 } }

describe('platformStatusFeed', () => {
  let nats: TestServer
  let bus: Bus
  let other: Bus
  let feed: PlatformStatusFeed
  let local: HealthReport = { state: 'ok', components: [mine] }

  beforeAll(async () => {
    nats = await startTestServer('platform-status')
    bus = await Bus.connect({ url: nats.url, name: 'dashboard-test', log: () => {} })
    other = await Bus.connect({ url: nats.url, name: 'rules-test', log: () => {} })
    feed = platformStatusFeed({ bus, local: async () => local })
    await bus.flush()
  })
  afterAll(async () => {
    feed?.stop()
    await other?.close()
    await bus?.close()
    await nats?.dispose()
  })

  it('shows the statuses heard on the bus and its own, every component named, and the dead letters by stream', async () => {
    other.publishLive(LIVE_STATUS, rules)
    other.publishLive(LIVE_STATUS, { not: 'a status' })
    await putDeadLetter(other, {
      stream: EVENTS_STREAM, seq: 41, subject: eventSubject('approval', 'market'), consumer: 'rules', tries: 5,
      error: 'the database refused it: value too long for type character varying(200)', data: { id: 'ev-41', source: 'hall', attrs: { name: '张三' } },
    })
    let s = await feed.read()
    for (let i = 0; i < 100 && !s.components.some((c) => c.component === 'rules' && c.status); i++) {
      await new Promise((r) => setTimeout(r, 20))
      s = await feed.read()
    }
    expect(s.components.map((c) => [c.component, c.reporting, c.status?.process.host ?? null])).toEqual([
      ['collector', false, null], ['rules', true, 'node-9'], ['alerts', false, null], ['kpi', false, null], ['dashboard', true, 'node-1'],
    ])
    expect(s.components[1]!.status).toEqual(rules)
    expect(s.deadLetters).toEqual([
      {
        stream: EVENTS_STREAM, count: 1,
        recent: [{
          stream: EVENTS_STREAM, seq: 41, subject: 'jiancha.events.approval.market', consumer: 'rules', tries: 5,
          error: 'the database refused it: value too long for type character varying(200)', at: expect.any(String), source: 'hall', id: 'ev-41',
        }],
      },
      { stream: ALERTS_STREAM, count: 0, recent: [] },
    ])
    expect(JSON.stringify(s)).not.toContain('张三')
    expect(Date.parse(s.now)).toBeLessThanOrEqual(Date.now())
  })

  it('still shows its own status while the bus is down, and says why it cannot show the dead letters', async () => {
    await nats.stop()
    try {
      await waitFor(() => !bus.connected, 10_000, 'the disconnect')
      local = { state: 'down', components: [{ ...mine, state: 'down', problems: ['bus_down'] }] }
      const s = await feed.read()
      expect(s.components.find((c) => c.component === 'dashboard')).toMatchObject({ reporting: true, status: { state: 'down', problems: ['bus_down'] } })
      expect([s.deadLetters, s.deadLettersError]).toEqual([null, 'the bus is not connected'])
    } finally {
      await nats.start()
      local = { state: 'ok', components: [mine] }
    }
    await waitFor(() => bus.connected, 15_000, 'the reconnect')
    expect((await feed.read()).deadLetters?.[0]?.count).toBe(1)
  })
})

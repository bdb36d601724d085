/**
 * The fault suite (`npm run test:faults`): the platform as separate processes
 * (collector, rules, alerts) on a nats-server and a PostgreSQL of the test's own, fed
 * by a source that resends what was not stored. Mid-stream, one thing breaks: a
 * component is killed with SIGKILL and restarted, the nats-server is killed for 10 s or
 * 40 s, PostgreSQL stops for 20 s, or Twilio answers 500, 429 or not at all. After
 * each: every event stored once, every card that `jiancha replay` gives for the same
 * events standing exactly once (and none it would not give), no text sent twice.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import type { CaseEvent } from '../../common/contract/index.ts'
import { check, probeOf, replayCards, waitSettled, type Probe } from './checks.ts'
import { Bus } from '../../common/bus/index.ts'
import { startComponent, type Component } from './components.ts'
import { faultEvents, sendAll } from './load.ts'
import { freePort, startKillableNats, startPrivatePostgres, type KillableNats, type PrivatePostgres } from './services.ts'

const TOKEN = 'fault-source-token-0123456789'
const CASES = 400
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Rig {
  dir: string
  db: Probe
  nats: KillableNats
  twilio: FakeTwilio
  collector: Component
  rules: Component
  alerts: Component
  collectorUrl: string
  events: CaseEvent[]
  stop(): Promise<void>
}

describe('the pipeline under faults', () => {
  let postgres: PrivatePostgres
  let n = 0
  beforeAll(async () => {
    postgres = await startPrivatePostgres()
  })
  afterAll(() => postgres?.dispose())

  /** rig starts a fresh database, bus, fake Twilio and the three components. */
  async function rig(): Promise<Rig> {
    const dir = mkdtempSync(join(tmpdir(), 'jiancha-faults-'))
    const url = await postgres.createDb(`faults_${++n}`)
    const nats = await startKillableNats()
    const twilio = await startFakeTwilio()
    const port = await freePort()
    const env = {
      DATABASE_URL: url, NATS_URL: nats.url, JIANCHA_DATA_DIR: dir, COLLECTOR_PORT: String(port), DASHBOARD_PORT: '0', ALERTS_PORT: '0', RULES_PORT: '0',
      JIANCHA_SOURCES: `hall:${TOKEN}`, RULES_TICK_MS: '200', SMS_PROVIDER: 'fake', TWILIO_BASE_URL: twilio.url,
      AUDIT_KEY: 'fault-audit-key-0123456789abcdef0123456789',
    }
    const collector = await startComponent('collector', env, join(dir, 'collector.log'))
    const rules = await startComponent('rules', env, join(dir, 'rules.log'))
    const alerts = await startComponent('alerts', env, join(dir, 'alerts.log'))
    const bus = await Bus.connect({ url: nats.url, name: 'fault-probe', log: () => {} })
    const db = probeOf(url, bus)
    for (const [i, dept] of ['market', 'housing', 'tax', 'health'].entries()) {
      await db.query(`INSERT INTO contacts (dept, role, name, phone) VALUES ($1, 'duty', $2, $3) ON CONFLICT DO NOTHING`, [dept, `值班${i}`, `+8613800000${100 + i}`])
    }
    const events = faultEvents(CASES, Date.now())
    return {
      dir, db, nats, twilio, collector, rules, alerts, collectorUrl: `http://127.0.0.1:${port}`, events,
      async stop() {
        for (const c of [collector, rules, alerts]) await c.stop().catch(() => {})
        await bus.close().catch(() => {})
        await twilio.close()
        await nats.dispose()
      },
    }
  }

  /** verify waits for the platform to settle and holds it against replay; the logs are kept only when it fails. */
  async function verify(r: Rig): Promise<void> {
    await waitSettled(r.db, r.events.length)
    const until = Date.now() - 5000
    const replayed = await replayCards(r.events, join(r.dir, 'events.jsonl'), until)
    const v = await check(r.db, r.events, replayed, until, r.twilio.messages.map((m) => ({ to: m.to, body: m.body })))
    if (v.problems.length) {
      for (const c of [r.collector, r.rules, r.alerts]) process.stderr.write(`--- ${c.name} (last lines)\n${readFileSync(c.logFile, 'utf8').split('\n').slice(-30).join('\n')}\n`)
    }
    expect(v.problems).toEqual([])
    expect(v.cards).toBeGreaterThan(50) // the load does raise cards
    expect(v.sms).toBeGreaterThan(0)
  }

  async function scenario(fault: (r: Rig) => Promise<void>): Promise<void> {
    const r = await rig()
    try {
      const sending = sendAll(r.collectorUrl, TOKEN, r.events, { batch: 50, paceMs: 20 })
      await sleep(800)
      await fault(r)
      await sending
      await verify(r)
      rmSync(r.dir, { recursive: true, force: true })
    } finally {
      await r.stop()
    }
  }

  for (const part of ['collector', 'rules', 'alerts'] as const) {
    it(`survives kill -9 of the ${part} mid-stream`, () =>
      scenario(async (r) => {
        await r[part].kill9()
        await sleep(1000)
        await r[part].start()
      }))
  }

  for (const seconds of [10, 40]) {
    it(`survives kill -9 of nats-server for ${seconds} s`, () =>
      scenario(async (r) => {
        await r.nats.kill9()
        await sleep(seconds * 1000)
        await r.nats.start()
      }))
  }

  it('survives PostgreSQL down for 20 s', () =>
    scenario(async () => {
      postgres.stop()
      await sleep(20_000)
      postgres.start()
    }))

  it('survives Twilio answering 500, 429 and not at all', () =>
    scenario(async (r) => {
      r.twilio.failNext(5, 500)
      r.twilio.failNext(5, 429)
      r.twilio.failNext(2, 'hang')
      r.twilio.failNext(2, 'hang-after-create')
    }))
})

/**
 * The rules worker as its own process, killed with SIGKILL and restarted, against
 * the real JetStream and PostgreSQL: no card lost, none doubled, no deadline
 * forgotten, and cards that came due during the downtime fire with their true `at`.
 * Needs TEST_DATABASE_URL: an embedded database cannot be shared between processes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../common/time/index.ts'
import { loadConfig } from '../common/config/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { openDb, type Db } from '../common/db/index.ts'
import { logger } from '../common/log/index.ts'
import { startPlatform, type Platform } from '../bin/platform.ts'
import { post, postAll, startTestServer, TOKEN, waitFor } from '../test-support/platform.ts'
import { defaultContext } from './context.ts'
import { parseLines, replayEvents, toLine } from './replay.ts'

const url = process.env.TEST_DATABASE_URL
const root = fileURLToPath(new URL('..', import.meta.url))
const SECOND = 1000
const iso = (t: number) => new Date(t).toISOString()

describe.skipIf(!url)('a rules worker killed with SIGKILL', () => {
  const schema = `restart_${randomBytes(5).toString('hex')}`
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let worker: ChildProcess | undefined
  let workerLog = ''

  const startWorker = () => {
    worker = spawn('node', [`${root}bin/jiancha.js`, 'rules'], {
      env: {
        ...process.env,
        DATABASE_URL: `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
        NATS_URL: nats.url,
        RULES_TICK_MS: '100',
        RULES_SETTLE_MS: '1500',
        // Small batches, so that a kill lands in the middle of the backfill's.
        RULES_BATCH: '200',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    worker.stdout!.on('data', (b: Buffer) => (workerLog += b.toString()))
    worker.stderr!.on('data', (b: Buffer) => (workerLog += b.toString()))
  }
  const killWorker = async () => {
    const w = worker!
    const exited = new Promise((r) => w.once('exit', r))
    w.kill('SIGKILL')
    await exited
  }
  const rows = async <R>(sql: string) => (await db.query<R>(sql)).rows

  beforeAll(async () => {
    db = await openDb({ url: url!, dataDir: '', schema, log: () => {} })
    nats = await startTestServer('restart')
    const cfg = loadConfig({
      env: {},
      overrides: { natsUrl: nats.url, collectorPort: 0, alertsPort: 0, rulesPort: 0, sources: [{ name: 'hall', token: TOKEN }], logLevel: 'error' },
    })
    platform = await startPlatform(cfg, new Set(['collector', 'alerts']), logger('test'), { db, clock: systemClock })
    startWorker()
    await waitFor(() => workerLog.includes('rules worker started'), 'worker up', 30_000)
  }, 60_000)

  afterAll(async () => {
    if (worker && worker.exitCode === null) await killWorker()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await c.end()
  })

  it('resumes with every card exactly once, catch-up cards at their true instant', async () => {
    const t0 = Date.now()
    // Supervised tasks coming due every 1.5 s, some before the kill, some during the downtime.
    const task = (n: number, due: number): CaseEvent => ({
      id: `task-${n}`, source: 'hall', kind: 'supervision', type: 'assigned', caseId: `T-${n}`, dept: 'transport',
      at: iso(t0 - SECOND), attrs: { title: `任务${n}`, dueAt: iso(due) },
    })
    const dues = Array.from({ length: 8 }, (_, i) => t0 + 3 * SECOND + i * 1500)
    // …and the contract examples, whose cards all lie in the past: a backfill.
    const examples = ['national-day', 'petitions', 'every-rule'].flatMap((n) =>
      readFileSync(`${root}common/contract/examples/${n}.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => ({ ...(JSON.parse(l) as CaseEvent), source: 'hall' })),
    )
    expect((await post(platform, [...dues.map((d, i) => task(i, d)), ...examples])).json).toMatchObject({ rejected: 0, failed: 0 })

    await waitFor(async () => (await rows<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE rule = 'supervision.overdue'"))[0]!.n >= 2, 'first cards', 20_000)
    await killWorker()
    const killedAt = Date.now()

    // While it is down: a task completed in time (no card must come), and one that comes due.
    const late: CaseEvent[] = [
      { id: 'task-7-done', source: 'hall', kind: 'supervision', type: 'completed', caseId: 'T-7', dept: 'transport', at: iso(Date.now() - 100) },
      task(8, Date.now() + 1000),
    ]
    expect((await post(platform, late)).json).toMatchObject({ accepted: 2 })
    dues[8] = Date.parse(late[1]!.attrs!.dueAt as string)
    const lastDue = Math.max(...dues)
    await new Promise((r) => setTimeout(r, Math.max(0, lastDue - Date.now()) + 1000))
    expect(dues.filter((d) => d > killedAt && d < Date.now()).length).toBeGreaterThan(2) // deadlines passed during the downtime

    startWorker()
    const all = [...dues.map((d, i) => task(i, d)).slice(0, 8), ...examples, ...late]
    const expected = expectedCards(all, Date.now())
    await waitFor(async () => (await rows<{ n: number }>('SELECT count(*) AS n FROM alerts'))[0]!.n >= expected.length, 'cards after restart', 30_000)
    await new Promise((r) => setTimeout(r, 2500)) // room for a doubled card to show up, if any

    const cards = await rows<{ rule: string; case_id: string; at: Date }>('SELECT rule, case_id, at FROM alerts')
    expect(cards.map((c) => `${c.rule} ${c.case_id} ${c.at.toISOString()}`).sort()).toEqual(expected.sort())
    // Each card was raised once: one row in the raise log per key.
    const raises = await rows<{ alert_key: string; n: number }>('SELECT alert_key, count(*) AS n FROM alert_events GROUP BY alert_key HAVING count(*) > 1')
    expect(raises).toEqual([])
    // Every event stored once.
    const events = await rows<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events')
    expect(events[0]).toEqual({ n: all.length, d: all.length })
    expect(cards.some((c) => c.case_id === 'T-7')).toBe(false) // never raised, not even for a moment
  }, 120_000)

  it('gives every card of a backfill exactly once when killed in the middle of its batches', async () => {
    const t0 = Date.now()
    const before = await rows<{ n: number }>('SELECT count(*) AS n FROM events')
    // 4000 tasks due half a day ago: the even ones completed in time, the odd ones too late.
    const backfill: CaseEvent[] = []
    for (let i = 0; i < 4000; i++) {
      const caseId = `BF-${i}`
      backfill.push({ id: `bf-${i}`, source: 'hall', kind: 'supervision', type: 'assigned', caseId, dept: 'transport', at: iso(t0 - 86_400_000), attrs: { title: `任务${i}`, dueAt: iso(t0 - 43_200_000) } })
      backfill.push({ id: `bf-${i}-done`, source: 'hall', kind: 'supervision', type: 'completed', caseId, dept: 'transport', at: iso(t0 - (i % 2 ? 3_600_000 : 46_800_000)) })
    }
    // Killed once a batch or two are in, the rest not (below). Each store is held up 100 ms, so
    // that the kill lands in the middle however fast the worker and slow the machine.
    await db.query(`CREATE FUNCTION slow_store() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$`)
    await db.query('CREATE TRIGGER slow_store AFTER INSERT ON event_ids FOR EACH STATEMENT EXECUTE FUNCTION slow_store()')
    for (let i = 0; i < backfill.length; i += 4000) {
      const r = await postAll(platform, backfill.slice(i, i + 4000))
      expect(r.accepted + r.duplicate).toBe(4000) // a loaded machine may make the collector answer `failed` to some: sent again, as a source does
    }
    const stored = async () => (await rows<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n - before[0]!.n
    try {
      await waitFor(async () => (await stored()) >= 1000, 'the first batches stored', 30_000)
      await killWorker()
    } finally {
      await db.query('DROP TRIGGER slow_store ON event_ids')
      await db.query('DROP FUNCTION slow_store()')
    }
    const atKill = await stored()
    startWorker()
    expect(atKill).toBeLessThan(backfill.length)
    await waitFor(async () => (await stored()) === backfill.length, 'the whole backfill stored', 60_000)
    const expected = expectedCards(backfill, Date.now())
    expect(expected).toHaveLength(2000)
    const standing = async () => rows<{ rule: string; case_id: string; at: Date }>("SELECT rule, case_id, at FROM alerts WHERE case_id LIKE 'BF-%' AND status <> 'withdrawn'")
    await waitFor(async () => (await standing()).length >= expected.length, 'the backfill\'s cards', 60_000)
    await new Promise((r) => setTimeout(r, 2500)) // room for a doubled card to show up, if any
    expect((await standing()).map((c) => `${c.rule} ${c.case_id} ${c.at.toISOString()}`).sort()).toEqual(expected.sort())
    expect(await rows("SELECT key FROM alerts WHERE case_id LIKE 'BF-%' AND status = 'withdrawn'")).toEqual([])
    const raises = await rows<{ alert_key: string }>("SELECT alert_key FROM alert_events WHERE alert_key LIKE '%BF-%' GROUP BY alert_key HAVING count(*) > 1")
    expect(raises).toEqual([])
    const events = await rows<{ n: number; d: number }>("SELECT count(*) AS n, count(DISTINCT id) AS d FROM events WHERE case_id LIKE 'BF-%'")
    expect(events[0]).toEqual({ n: backfill.length, d: backfill.length })
  }, 180_000)

  it('raises a petition.repeat whose registrations were acked just before the kill, while the card waited out the settle delay', async () => {
    const day = 86_400_000
    const now = Date.now()
    // Two petitions by the same petitioner, 60 and 50 days ago, answered long since (closed),
    // and a third 40 days ago that makes a repeat: all older than 31 days of wall time.
    const pet = (n: number, ago: number): CaseEvent[] => [
      { id: `rp-${n}-reg`, source: 'hall', kind: 'petition', type: 'registered', caseId: `RP-${n}`, dept: 'letters', at: iso(now - ago * day), attrs: { petitionerId: 'pp-9', subject: '噪音' } },
      ...(n < 3
        ? ([
            { id: `rp-${n}-acc`, source: 'hall', kind: 'petition', type: 'accepted', caseId: `RP-${n}`, dept: 'letters', at: iso(now - (ago - 1) * day) },
            { id: `rp-${n}-rep`, source: 'hall', kind: 'petition', type: 'replied', caseId: `RP-${n}`, dept: 'letters', at: iso(now - (ago - 2) * day) },
          ] as CaseEvent[])
        : []),
    ]
    expect((await post(platform, [...pet(1, 60), ...pet(2, 50)])).json).toMatchObject({ rejected: 0, failed: 0 })
    await waitFor(async () => (await rows("SELECT 1 FROM cases WHERE case_id IN ('RP-1', 'RP-2') AND NOT open")).length === 2, 'the first two closed', 20_000)
    expect((await post(platform, pet(3, 40))).json).toMatchObject({ accepted: 1 })
    // Acked: the status is saved with the batch; the card still waits out RULES_SETTLE_MS (1.5 s).
    await waitFor(async () => (await rows("SELECT 1 FROM cases WHERE case_id = 'RP-3'")).length === 1, 'the third stored and acked', 10_000)
    await killWorker()
    expect(await rows("SELECT 1 FROM alerts WHERE rule = 'petition.repeat' AND case_id = 'RP-3'")).toEqual([])
    startWorker()
    await waitFor(async () => (await rows("SELECT 1 FROM alerts WHERE rule = 'petition.repeat' AND case_id = 'RP-3'")).length === 1, 'the repeat card after the restart', 30_000)
  }, 90_000)
})

/** expectedCards is what replay says about the same events at the same instant. */
function expectedCards(events: CaseEvent[], until: number): string[] {
  const ctx = defaultContext()
  const { events: timed } = parseLines(events.map((e) => JSON.stringify(e)))
  return replayEvents(timed, until, ctx).fires.map((f) => {
    const l = toLine(f, ctx)
    return `${l.rule} ${l.caseId} ${new Date(Date.parse(l.at)).toISOString()}`
  })
}

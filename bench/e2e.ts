/**
 * `npm run bench:e2e`: the whole pipeline on this machine, collector HTTP → JetStream →
 * rules → alerts → database → Socket.IO, each component its own process as an operator
 * runs them (`jiancha collector|rules|alerts|dashboard`) on PostgreSQL
 * (BENCH_DATABASE_URL or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test,
 * in a throwaway schema), and `jiancha start` (one process: PGlite is embedded, so it
 * cannot be shared) on PGlite. Every event raises one card at once (RULES_SETTLE_MS=0).
 * A signed-in socket.io-client hears the cards. It measures the sustained rate (events
 * posted until their cards are announced), the event-to-card latency at a fixed offered
 * rate, each process's memory, and beside them, in the same run and on the same events,
 * the raw limits: JetStream publish and consume with no processing, and a COPY of the
 * same rows. The figures go to stdout and to a JSON file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { Bus, EVENTS_STREAM, startNatsServer } from '../common/bus/index.ts'
import { type Db, openDb } from '../common/db/index.ts'
import { setLogLevel } from '../common/log/index.ts'
import { createUser } from '../accounts/index.ts'
import { startComponent, type Component, type ProcessPart } from '../test-support/faults/components.ts'
import { freePort } from '../test-support/faults/services.ts'
import { atRate, CardWatch, signIn, sustained, type LatencyResult, type SustainedResult, type Target } from './e2eDriver.ts'
import { BENCH_SOURCE, cardEvents } from './e2eLoad.ts'
import { consumeAll, copyRows, copyRowsPglite, dropSchema, publishAll, WINDOW } from './rawLimits.ts'
import { pidWith, rssOf, type Rss } from './rss.ts'

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test'
/** PGlite's COPY runs before the platform starts, so on rows of the same shape, not the very rows. */
const PGLITE_COPY_ROWS = 20_000
const TOKEN = 'bench-e2e-source-token-0123456789'
const USER = 'bench-leader'
const PASSWORD = 'bench e2e password, long enough'
/** The issue's targets: the pipeline at a quarter of what COPY takes, and cards within 250 ms. */
export const TARGETS = { copyRatio: 0.25, p99Ms: 250, atRate: 2000 }

/** BenchE2eOptions sizes the run; see the command's help. */
export interface BenchE2eOptions {
  /** seconds of the as-fast-as-it-goes load */
  seconds: number
  /** offered events/s of the latency load */
  rate: number
  /** seconds of the latency load */
  latencySeconds: number
  /** events per request of the sustained load */
  batch: number
  /** requests in flight of the sustained load */
  concurrency: number
  /** events at most awaiting their card in the sustained load */
  window: number
  /** seconds each load waits for its last cards */
  waitSeconds: number
  only?: 'pg' | 'pglite'
  /** the JSON report's path */
  out: string
}

/** BackendReport is one backend's figures. */
export interface BackendReport {
  backend: 'pg' | 'pglite'
  processes: string
  sustained: Omit<SustainedResult, 'events'> & { events: number }
  latency: LatencyResult
  /** the most messages each consumer had not yet acked during each load: where the events wait */
  backlog: { sustained: Backlog; latency: Backlog }
  /** resident memory per process at the end of the sustained load, and the peak over the run */
  memory: Record<string, Rss | null>
  /** rows in the database afterwards, of the bench's events and cards (what the pipeline had not reached at the end was dropped) */
  stored: { events: number; cards: number }
  copy: { rows: number; seconds: number; rowsPerSecond: number }
  ratios: { ofCopy: number; ofPublish: number; ofConsume: number }
  targets: { copyRatioMet: boolean; p99Met: boolean }
  skipped?: undefined
}

/** Backlog is the most messages the rules' and the alerts' consumers had waiting (pending + unacked). */
export interface Backlog {
  rules: number
  alerts: number
}

/** watchBacklog samples the two consumers every 200 ms until stopped; their maxima. */
function watchBacklog(bus: Bus): { stop(): Backlog } {
  const max: Backlog = { rules: 0, alerts: 0 }
  const read = async () => {
    for (const [k, stream] of [['rules', 'JIANCHA_EVENTS'], ['alerts', 'JIANCHA_ALERTS']] as const) {
      const c = await bus.consumerState(stream, k).catch(() => null)
      if (c) max[k] = Math.max(max[k], c.pending + c.ackPending)
    }
  }
  const timer = setInterval(() => void read(), 200)
  return {
    stop() {
      clearInterval(timer)
      return max
    },
  }
}

/** E2eReport is the whole JSON file. */
export interface E2eReport {
  at: string
  /** loadAverage: the 1-minute load when the run started and when it ended; other work on the machine skews every figure */
  machine: { cpus: number; cpu: string; memoryMiB: number; node: string; loadAverage: { start: number; end: number } }
  options: BenchE2eOptions
  targets: typeof TARGETS
  raw: { events: number; publish: { seconds: number; eventsPerSecond: number }; consume: { seconds: number; eventsPerSecond: number } } | null
  backends: Array<BackendReport | { backend: 'pg' | 'pglite'; skipped: string }>
}

const say = (s: string) => process.stdout.write(`${s}\n`)

/** benchE2e runs both backends (or one), then the raw limits on the events they were sent, prints and writes the report. */
export async function benchE2e(opts: BenchE2eOptions): Promise<number> {
  setLogLevel('warn')
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-e2e-'))
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_URL
  const report: E2eReport = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryMiB: Math.round(totalmem() / 2 ** 20), node: process.version, loadAverage: { start: round2(loadavg()[0]!), end: 0 } },
    options: opts,
    targets: TARGETS,
    raw: null,
    backends: [],
  }
  say(`bench e2e: sustained load ${opts.seconds} s (batches of ${opts.batch}, ${opts.concurrency} senders, at most ${opts.window} events awaiting their card), then ${opts.rate} events/s for ${opts.latencySeconds} s; RULES_SETTLE_MS=0, every event raises a card at once`)
  const runs: Array<{ backend: 'pg' | 'pglite'; s: SustainedResult; partial: Omit<BackendReport, 'ratios' | 'targets'> }> = []
  try {
    for (const backend of ['pglite', 'pg'] as const) {
      if (opts.only && opts.only !== backend) continue
      const r = await runBackend(backend, join(dir, backend), url, opts).catch((e: unknown) => {
        if (!(e instanceof Unreachable)) throw e
        say(`${backend}: skipped, ${e.message}`)
        report.backends.push({ backend, skipped: e.message })
        return null
      })
      if (r) runs.push({ backend, s: r.s, partial: r.report })
    }
    // The raw limits, on the most events any backend was sent: a fresh nats-server, nothing else running.
    const events = runs.map((r) => r.s.events).sort((a, b) => b.length - a.length)[0]
    if (events?.length) {
      const nats = await startNatsServer({ storeDir: join(dir, 'raw-nats') })
      try {
        const publish = await publishAll(nats.url, events)
        const consume = await consumeAll(nats.url, events.length)
        const rate = (s: number) => Math.round(events.length / s)
        report.raw = { events: events.length, publish: { seconds: publish, eventsPerSecond: rate(publish) }, consume: { seconds: consume, eventsPerSecond: rate(consume) } }
        say(`raw JetStream: the same ${events.length} events published in ${publish.toFixed(2)} s = ${rate(publish)} events/s (${WINDOW} in flight), pulled and acked in ${consume.toFixed(2)} s = ${rate(consume)} events/s`)
      } finally {
        await nats.stop()
      }
    }
    for (const r of runs) {
      const raw = report.raw!
      const e2e = r.partial.sustained.eventsPerSecond
      const ratios = {
        ofCopy: round4(e2e / r.partial.copy.rowsPerSecond),
        ofPublish: round4(e2e / raw.publish.eventsPerSecond),
        ofConsume: round4(e2e / raw.consume.eventsPerSecond),
      }
      // Cards that never came are later than any percentile: past 1 % of them, the p99 is beyond the wait.
      const lat = r.partial.latency
      const targets = { copyRatioMet: ratios.ofCopy >= TARGETS.copyRatio, p99Met: lat.eventToCard.p99 < TARGETS.p99Ms && lat.missing <= lat.events * 0.01 }
      report.backends.push({ ...r.partial, ratios, targets })
    }
    report.machine.loadAverage.end = round2(loadavg()[0]!)
    say('')
    say(`machine: ${report.machine.cpus} × ${report.machine.cpu}, load average ${report.machine.loadAverage.start} at the start, ${report.machine.loadAverage.end} at the end (above ${report.machine.cpus}, other work competes for the CPUs and every figure is low)`)
    for (const b of report.backends) say(summaryLine(b, opts))
    const out = resolve(opts.out)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n')
    say(`report: ${out}`)
    return 0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100
const round4 = (x: number) => Math.round(x * 10_000) / 10_000
const pct = (x: number) => `${x < 0.1 ? (x * 100).toFixed(1) : Math.round(x * 100)} %`

function summaryLine(b: E2eReport['backends'][number], o: BenchE2eOptions): string {
  if (b.skipped !== undefined) return `${b.backend}: skipped (${b.skipped})`
  const name = b.backend === 'pg' ? 'PostgreSQL' : 'PGlite'
  const l = b.latency.eventToCard
  return (
    `${name}: end-to-end ${b.sustained.eventsPerSecond} events/s = ${pct(b.ratios.ofCopy)} of COPY (${b.copy.rowsPerSecond} rows/s), ${b.ratios.ofPublish}× publish, ${b.ratios.ofConsume}× consume;` +
    ` target ≥ ${pct(TARGETS.copyRatio)} of COPY ${b.targets.copyRatioMet ? 'met' : 'NOT met'}. At ${o.rate} events/s: ${l.count ? `p50 ${l.p50} ms, p99 ${l.p99} ms` : 'no card came'}` +
    `${b.latency.missing ? ` of the cards that came (${b.latency.missing} of ${b.latency.events} did not within ${o.waitSeconds} s)` : ''}; target p99 < ${TARGETS.p99Ms} ms${o.rate === TARGETS.atRate ? '' : ` (meant at ${TARGETS.atRate} events/s)`} ${b.targets.p99Met ? 'met' : 'NOT met'}`
  )
}

/** Unreachable says a backend could not be opened at all: it is skipped, not failed. */
class Unreachable extends Error {}

/** runBackend starts a bus and the platform on one backend, runs both loads, reads memory and the rows, and COPYs the same rows. */
async function runBackend(backend: 'pg' | 'pglite', dir: string, url: string, opts: BenchE2eOptions): Promise<{ s: SustainedResult; report: Omit<BackendReport, 'ratios' | 'targets'> }> {
  const name = backend === 'pg' ? 'PostgreSQL' : 'PGlite'
  const schema = `bench_${randomBytes(5).toString('hex')}`
  const dataDir = join(dir, 'data')
  // The account the socket signs in with, made before the platform starts (PGlite has one owner at a time).
  let db: Db | null =
    backend === 'pg'
      ? await openDb({ url, dataDir: '', schema, log: () => {} }).catch((e: unknown) => {
          throw new Unreachable(`cannot open ${url}: ${(e as Error).message}`)
        })
      : await openDb({ dataDir: join(dataDir, 'pg'), log: () => {} })
  const nats = await startNatsServer({ storeDir: join(dir, 'nats') })
  const comps: Component[] = []
  try {
    await createUser(db, { username: USER, password: PASSWORD, role: 'leader' })
    let copySeconds = 0
    if (backend === 'pglite') {
      await db.close()
      db = null
      // PGlite's COPY before the platform owns the directory, on rows of the same shape.
      copySeconds = await copyRowsPglite(join(dataDir, 'pg'), cardEvents('copy', 0, PGLITE_COPY_ROWS, Date.now()))
    }
    const [collectorPort, dashboardPort] = [await freePort(), await freePort()]
    const env: Record<string, string> = {
      NATS_URL: nats.url, JIANCHA_DATA_DIR: dataDir, COLLECTOR_PORT: String(collectorPort), DASHBOARD_PORT: String(dashboardPort), ALERTS_PORT: '0', RULES_PORT: '0',
      JIANCHA_SOURCES: `${BENCH_SOURCE}:${TOKEN}`, RULES_SETTLE_MS: '0', AUDIT_KEY: 'bench-e2e-audit-key-0123456789abcdef012345',
      ...(backend === 'pg' ? { DATABASE_URL: withSearchPath(url, schema) } : {}),
    }
    const parts: ProcessPart[] = backend === 'pg' ? ['rules', 'alerts', 'dashboard', 'collector'] : ['start']
    // Together: each waits for the bus and the database on its own.
    comps.push(...(await Promise.all(parts.map((part) => startComponent(part, env, join(dir, `${part}.log`))))))
    say(`${name}: ${parts.map((p) => `jiancha ${p}${p === 'start' ? ' --no-simulator' : ''}`).join(', ')} running${backend === 'pglite' ? ' (one process: PGlite is embedded, it has one owner)' : ''}`)
    const target: Target = { collectorUrl: `http://127.0.0.1:${collectorPort}`, token: TOKEN, dashboardUrl: `http://127.0.0.1:${dashboardPort}` }
    const watch = await CardWatch.open(target.dashboardUrl, await signIn(target.dashboardUrl, USER, PASSWORD))
    const probe = await Bus.connect({ url: nats.url, name: 'bench-probe', log: () => {} })
    try {
      // Warm up (JIT, pools, first statements), not counted.
      await sustained(target, watch, { prefix: 'warm', seconds: Math.min(2, opts.seconds), batch: opts.batch, concurrency: 1, window: opts.batch * 2, waitSeconds: opts.waitSeconds })
      let b = watchBacklog(probe)
      const s = await sustained(target, watch, { prefix: 's', seconds: opts.seconds, batch: opts.batch, concurrency: opts.concurrency, window: opts.window, waitSeconds: opts.waitSeconds })
      say(
        `${name}: sustained ${s.events.length} events posted → ${s.cards} cards announced in ${s.seconds.toFixed(2)} s = ${s.eventsPerSecond} events/s (${s.requests} requests, ${s.refused} refused for back-pressure)` +
          (s.missing ? `; ${s.missing} cards had not come ${opts.waitSeconds} s after the last post` : ''),
      )
      const backlog = { sustained: b.stop(), latency: { rules: 0, alerts: 0 } }
      const memory = memoryOf(comps, join(dir, 'nats'))
      b = watchBacklog(probe)
      const latency = await atRate(target, watch, { prefix: 'l', rate: opts.rate, seconds: opts.latencySeconds, waitSeconds: opts.waitSeconds })
      backlog.latency = b.stop()
      say(`${name}: most events waiting (sustained / at ${opts.rate} events/s): for the rules ${backlog.sustained.rules} / ${backlog.latency.rules}, cards for the alerts ${backlog.sustained.alerts} / ${backlog.latency.alerts}`)
      const l = latency.eventToCard
      const figures = l.count ? `p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms over ${l.count} cards` : 'no card came'
      say(`${name}: at ${latency.offeredPerSecond} events/s offered (${latency.postedPerSecond} posted) for ${opts.latencySeconds} s, event → card on the socket: ${figures} of ${latency.events} events${latency.missing ? ` (${latency.missing} had not come ${opts.waitSeconds} s after the last post)` : ''}; ` +
          (latency.collectorAnswer.count ? `collector answer p50 ${latency.collectorAnswer.p50} ms, p99 ${latency.collectorAnswer.p99} ms` : 'the collector answered no post') +
          (latency.unanswered ? `, ${latency.unanswered} events unanswered ${opts.waitSeconds} s after the last post` : ''))
      // The peak over the whole run, beside the resident size under the sustained load.
      for (const [k, v] of Object.entries(memoryOf(comps, join(dir, 'nats')))) if (v && memory[k]) memory[k]!.peakMiB = v.peakMiB
      say(`${name}: memory (resident under load / peak, MiB): ${Object.entries(memory).map(([k, v]) => `${k} ${v ? `${v.rssMiB}/${v.peakMiB}` : '?'}`).join(', ')}`)
      watch.close()
      // What the pipeline did not get to is dropped, so that the components stop at once.
      await purge(nats.url)
      for (const c of comps.splice(0).reverse()) await stopSoon(c)
      if (!db) db = await openDb({ dataDir: join(dataDir, 'pg'), log: () => {} })
      const stored = await storedRows(db)
      if (backend === 'pglite') {
        await db.close()
        db = null
      }
      // Into a copy of the events table beside the platform's, on the same database.
      const rows = backend === 'pg' ? s.events.length : PGLITE_COPY_ROWS
      if (backend === 'pg') copySeconds = await copyRows(url, schema, s.events)
      const copy = { rows, seconds: copySeconds, rowsPerSecond: Math.round(rows / copySeconds) }
      say(`${name}: COPY of ${backend === 'pg' ? 'the same' : 'as many'} ${rows} rows into a copy of the events table in ${copySeconds.toFixed(3)} s = ${copy.rowsPerSecond} rows/s`)
      const { events: _, ...rest } = s
      return {
        s,
        report: { backend, processes: parts.map((p) => `jiancha ${p}`).join(', '), sustained: { ...rest, events: s.events.length }, latency, backlog, memory, stored, copy },
      }
    } finally {
      watch.close()
      await probe.close()
    }
  } catch (e) {
    for (const c of comps) say(`--- ${c.name}, last lines of ${c.logFile}:\n${tail(c.logFile)}`)
    throw e
  } finally {
    for (const c of comps.reverse()) await stopSoon(c).catch(() => {})
    await nats.stop()
    await db?.close()
    if (backend === 'pg') await dropSchema(url, schema).catch(() => {})
  }
}

/** purge empties the private bus's events and alerts streams. */
async function purge(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl })
  try {
    const jsm = await jetstreamManager(nc)
    for (const stream of [EVENTS_STREAM, 'JIANCHA_ALERTS']) await jsm.streams.purge(stream)
  } finally {
    await nc.close()
  }
}

/** stopSoon stops a component as Ctrl-C would, and kills it when it takes more than 30 s. */
async function stopSoon(c: Component): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 30_000)))
  const r = await Promise.race([c.stop(), late])
  clearTimeout(timer)
  if (r === 'late') await c.kill9()
}

/** withSearchPath puts the throwaway schema first on the path of every connection the components open. */
function withSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`
}

function memoryOf(comps: readonly Component[], natsStore: string): Record<string, Rss | null> {
  const m: Record<string, Rss | null> = {}
  for (const c of comps) m[c.name] = rssOf(c.pid())
  m['nats-server'] = rssOf(pidWith(natsStore))
  m['bench (source + socket)'] = rssOf(process.pid)
  return m
}

/** storedRows counts the bench's events and their cards in the database. */
async function storedRows(db: Db): Promise<{ events: number; cards: number }> {
  const n = async (sql: string) => Number((await db.query<{ n: number }>(sql, [BENCH_SOURCE])).rows[0]!.n)
  return {
    events: await n('SELECT count(*) AS n FROM events WHERE source = $1'),
    cards: await n(`SELECT count(*) AS n FROM alerts WHERE rule = 'approval.out_of_order' AND case_id IN (SELECT case_id FROM events WHERE source = $1)`),
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')
  } catch {
    return '(no log)'
  }
}

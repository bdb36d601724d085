/**
 * bench:kpi's ingest part: a slice of the synthetic year goes onto a private
 * nats-server's events stream (the raw publish rate), a bare consumer pulls it (the raw
 * consume rate), the real rules worker drains it (bench:worker's drainRules), raising
 * the cards its deadlines call for onto the alerts stream (no settle delay: the drain's
 * rate is bench:worker's, the cards' wait not timed), and then the real kpi worker
 * (startKpiWorker, as `jiancha kpi` runs it) drains both streams into a database of its
 * own. A COPY of the same rows gives what the database alone takes.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { ALERTS_STREAM, Bus, EVENTS_STREAM, startNatsServer } from '../common/bus/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { type Db, openDb } from '../common/db/index.ts'
import { logger } from '../common/log/index.ts'
import { systemClock } from '../common/time/index.ts'
import { defaultScheme, startKpiWorker } from '../kpi/index.ts'
import type { RuleContext } from '../rules/index.ts'
import { consumeAll, copyRows, copyRowsPglite, dropSchema, publishAll } from './rawLimits.ts'
import { drainRules } from './worker.ts'
import { kpiYear } from './kpiYear.ts'

/** IngestOptions size the slice and say where the databases are. */
export interface IngestOptions {
  events: number
  depts: number
  ctx: RuleContext
  /** the bench's PostgreSQL database (a schema of its own in it), or null to skip */
  pgUrl: string | null
  /** a directory for the embedded database, or null to skip */
  pgliteDir: string | null
  /** the nats-server's store */
  natsDir: string
  print: (line: string) => void
}

/** IngestFigures are the rates measured, events/s (COPY: rows/s). */
export interface IngestFigures {
  events: number
  cards: number
  publish: number
  consume: number
  backends: Array<{ backend: 'pg' | 'pglite'; rules: number; kpi: number; copy: number; facts: number }>
}

/** benchIngest measures the rates and prints them with their ratios. */
export async function benchIngest(o: IngestOptions): Promise<IngestFigures> {
  const events: CaseEvent[] = []
  for (const c of kpiYear({ events: o.events, depts: o.depts, ctx: o.ctx, seed: 29 })) events.push(...c.events)
  // The sources report as things happen: in event time, not case by case.
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  const n = events.length
  const rate = (seconds: number) => Math.round(n / seconds)
  const nats = await startNatsServer({ storeDir: o.natsDir })
  try {
    o.print(`ingest: ${n} events of the same kind of year, on a nats-server of the bench's own`)
    const publish = rate(await publishAll(nats.url, events))
    const consume = rate(await consumeAll(nats.url, n))
    o.print(`  raw JetStream publish   ${publish} events/s`)
    o.print(`  raw JetStream consume   ${consume} events/s (pull and ack, no processing)`)
    const figures: IngestFigures = { events: n, cards: 0, publish, consume, backends: [] }
    for (const backend of ['pg', 'pglite'] as const) {
      const schema = `ingest_${randomBytes(4).toString('hex')}`
      const dataDir = o.pgliteDir && join(o.pgliteDir, 'ingest')
      if (backend === 'pg' ? !o.pgUrl : !dataDir) continue
      const name = backend === 'pg' ? 'PostgreSQL' : 'PGlite'
      let db: Db | null = backend === 'pg' ? await openDb({ url: o.pgUrl!, dataDir: '', schema, log: () => {} }) : await openDb({ dataDir: dataDir!, log: () => {} })
      try {
        // No settle delay, so the cards the deadlines call for all come, a tick after the drain.
        const rules = await drainRules(nats.url, db, n, undefined, { settleMs: 0, quietMs: 3000 })
        const cards = await lastSeq(nats.url, ALERTS_STREAM)
        figures.cards = cards
        const kpi = await drainKpi(nats.url, db, o.ctx, n, cards)
        let copy: number
        if (backend === 'pg') copy = rate(await copyRows(o.pgUrl!, schema, events))
        else {
          await db.close()
          db = null
          copy = rate(await copyRowsPglite(dataDir!, events))
        }
        const kpiRate = rate(kpi.seconds)
        const rulesRate = rate(rules.seconds)
        figures.backends.push({ backend, rules: rulesRate, kpi: kpiRate, copy, facts: kpi.facts })
        o.print(`  ${name} COPY of the same rows   ${copy} rows/s`)
        o.print(`  rules worker on ${name}   ${rulesRate} events/s = ${x(rulesRate, consume)} consume, ${x(rulesRate, copy)} COPY (${cards} cards raised)`)
        o.print(`  kpi worker on ${name}     ${kpiRate} events/s = ${x(kpiRate, rulesRate)} the rules worker, ${x(kpiRate, consume)} consume, ${x(kpiRate, copy)} COPY (${n} events and ${cards} cards in ${kpi.seconds.toFixed(2)} s, ${kpi.facts} facts)`)
      } finally {
        await db?.close()
        if (backend === 'pg') await dropSchema(o.pgUrl!, schema)
      }
    }
    return figures
  } finally {
    await nats.stop()
  }
}

/** x writes a ratio: "0.42×". */
function x(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`
}

/** drainKpi runs the real kpi worker with fresh consumers until both streams are acked to their ends. */
async function drainKpi(url: string, db: Db, ctx: RuleContext, events: number, cards: number): Promise<{ seconds: number; facts: number }> {
  const bus = await Bus.connect({ url, name: 'bench-kpi', log: (m) => process.stderr.write(`bus: ${m}\n`) })
  const nc = await connect({ servers: url })
  const jsm = await jetstreamManager(nc)
  for (const stream of [EVENTS_STREAM, ALERTS_STREAM]) if (await bus.consumerState(stream, 'kpi')) await jsm.consumers.delete(stream, 'kpi')
  await nc.close()
  const t0 = performance.now()
  const worker = await startKpiWorker({ bus, db, ctx, scheme: { scheme: defaultScheme(), origin: 'default' }, clock: systemClock, log: logger('bench').child('kpi'), refreshMs: 30_000 })
  try {
    const done = async (stream: string, n: number) => {
      const s = await bus.consumerState(stream, 'kpi')
      return n === 0 || (s !== null && s.pending === 0 && s.ackPending === 0 && s.delivered >= n)
    }
    while (!((await done(EVENTS_STREAM, events)) && (await done(ALERTS_STREAM, cards)))) await new Promise((r) => setTimeout(r, 50))
    const seconds = (performance.now() - t0) / 1000
    const status = worker.status()
    if (status.lastError) throw new Error(`the kpi worker failed: ${status.lastError.message}`)
    return { seconds, facts: status.facts }
  } finally {
    await worker.stop()
    await bus.close()
  }
}

async function lastSeq(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url })
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq
  } finally {
    await nc.close()
  }
}

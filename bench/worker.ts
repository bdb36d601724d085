/**
 * `npm run bench:worker`: the live rules worker's throughput. N synthetic city events
 * (in event time) go onto a private nats-server's events stream as fast as JetStream
 * takes them, which measures the raw publish rate; a bare consumer then pulls and acks
 * them all (the raw consume rate); then the real rules worker (startRulesWorker, with
 * the alert store's cardsOf) drains the same stream on embedded PGlite and on
 * PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a
 * throwaway schema), and a PostgreSQL COPY of the same rows shows what the database
 * alone can take. Each rate is printed with its ratio to the others.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { Bus, EVENTS_STREAM, startNatsServer } from '../common/bus/index.ts'
import { type Db, openDb } from '../common/db/index.ts'
import { logger, setLogLevel } from '../common/log/index.ts'
import { systemClock } from '../common/time/index.ts'
import { cardsOfCases } from '../alerts/index.ts'
import { defaultContext, startRulesWorker } from '../rules/index.ts'
import { consumeAll, copyRows, dropSchema, publishAll, WINDOW } from './rawLimits.ts'
import { syntheticCity } from './synthetic.ts'

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test'
const GOAL = { pg: 20_000, pglite: 10_000 }

/** BenchWorkerOptions sizes the run. */
export interface BenchWorkerOptions {
  events: number
  cases: number
  /** the worker's batch size */
  batch?: number
  /** skip PostgreSQL (and COPY), or PGlite */
  only?: 'pg' | 'pglite'
}

/** benchWorker runs the measurements and prints their figures; see the top of this file. */
export async function benchWorker(opts: BenchWorkerOptions): Promise<number> {
  setLogLevel('warn')
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-worker-'))
  const nats = await startNatsServer({ storeDir: join(dir, 'nats') })
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_URL
  try {
    process.stdout.write(`generating ${opts.events} events over ${opts.cases} cases…\n`)
    // The sources report as things happen: in event time, not case by case.
    const events = syntheticCity(opts.cases, opts.events).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    const n = events.length
    const rate = (seconds: number) => Math.round(n / seconds)
    const publish = await publishAll(nats.url, events)
    process.stdout.write(`publish: ${n} events onto JetStream in ${publish.toFixed(2)} s = ${rate(publish)} events/s (raw, ${WINDOW} in flight)\n`)
    const consume = await consumeAll(nats.url, n)
    process.stdout.write(`consume: pulled and acked in ${consume.toFixed(2)} s = ${rate(consume)} events/s (raw, batches of 2000)\n`)
    const lines: string[] = []
    const ratio = (s: number) => `${(rate(s) / rate(publish)).toFixed(2)}× publish, ${(rate(s) / rate(consume)).toFixed(2)}× consume`
    for (const backend of ['pglite', 'pg'] as const) {
      if (opts.only && opts.only !== backend) continue
      const schema = `bench_${randomBytes(5).toString('hex')}`
      const db =
        backend === 'pg'
          ? await openDb({ url, dataDir: '', schema, log: () => {} }).catch((e: unknown) => {
              process.stdout.write(`worker on PostgreSQL: skipped, cannot open ${url}: ${(e as Error).message}\n`)
              return null
            })
          : await openDb({ dataDir: join(dir, 'pg'), log: () => {} })
      if (!db) continue
      try {
        const s = await drainRules(nats.url, db, n, opts.batch)
        const r = rate(s.seconds)
        lines.push(`worker on ${backend}: ${r} events/s (${ratio(s.seconds)}); goal ${GOAL[backend]} ${r >= GOAL[backend] ? 'met' : 'NOT met'}`)
        process.stdout.write(`worker on ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'}: ${n} events in ${s.seconds.toFixed(2)} s = ${r} events/s (${ratio(s.seconds)}); ${s.cards} cards new on the bus (a run before sent the same ones: deduplicated), ${s.stored} events stored\n`)
        if (backend === 'pg') {
          const copy = await copyRows(url, schema, events)
          process.stdout.write(`copy:    PostgreSQL COPY of the same rows in ${copy.toFixed(2)} s = ${rate(copy)} rows/s; the worker reaches ${(r / rate(copy)).toFixed(2)}× of it\n`)
        }
      } finally {
        await db.close()
        if (backend === 'pg') await dropSchema(url, schema)
      }
    }
    process.stdout.write(`goals:   ${lines.join('; ')}\n`)
    return 0
  } finally {
    await nats.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** DrainCards asks drainRules to wait, after the drain, for the cards due to come (timed apart from the drain). */
export interface DrainCards {
  /** the settle delay (RULES_SETTLE_MS) */
  settleMs: number
  /** the cards count as all come once the alerts stream has stayed the same this long */
  quietMs: number
}

/** drainRules runs the real rules worker over the stream from its start until every message is acked (then, with `cards`, until the cards stop coming). */
export async function drainRules(url: string, db: Db, n: number, batch?: number, cards?: DrainCards): Promise<{ seconds: number; cards: number; stored: number }> {
  const bus = await Bus.connect({ url, name: 'bench-rules', log: (m) => process.stderr.write(`bus: ${m}\n`) })
  // A fresh durable: each backend reads the whole stream.
  await bus.consumerState(EVENTS_STREAM, 'rules').then(async (s) => {
    if (s) {
      const nc = await connect({ servers: url })
      await (await jetstreamManager(nc)).consumers.delete(EVENTS_STREAM, 'rules')
      await nc.close()
    }
  })
  const before = await countCards(url)
  const t0 = performance.now()
  const worker = await startRulesWorker({
    bus, db, ctx: defaultContext(), clock: systemClock, cardsOf: (cases) => cardsOfCases(db, cases), tickMs: 1000, settleMs: cards?.settleMs ?? 5000,
    allowedLatenessMs: 72 * 3_600_000, silentHours: 4, log: logger('bench').child('rules'), batch,
  })
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 50))
      const s = await bus.consumerState(EVENTS_STREAM, 'rules')
      if (s && s.pending === 0 && s.ackPending === 0 && s.delivered >= n) break
    }
    const seconds = (performance.now() - t0) / 1000
    if (cards) {
      let last = await countCards(url)
      let since = performance.now()
      while (performance.now() - since < cards.quietMs) {
        await new Promise((r) => setTimeout(r, 100))
        const now = await countCards(url)
        if (now !== last) [last, since] = [now, performance.now()]
      }
    }
    const stored = Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM events')).rows[0]!.n)
    return { seconds, cards: (await countCards(url)) - before, stored }
  } finally {
    await worker.stop()
    await bus.close()
  }
}

async function countCards(url: string): Promise<number> {
  const nc = await connect({ servers: url })
  try {
    return (await (await jetstreamManager(nc)).streams.info('JIANCHA_ALERTS')).state.messages
  } finally {
    await nc.close()
  }
}

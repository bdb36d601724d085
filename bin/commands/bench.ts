/** `jiancha bench rules|worker|sms|e2e|kpi`: speed and memory of the rules engine (bench/rules.ts), throughput of the live worker (bench/worker.ts), the SMS outbox's rate (bench/sms.ts), the whole pipeline (bench/e2e.ts), the figures' reads at scale (bench/kpi.ts). */
import type { Command } from '../command.ts'

export const benchCommand: Command = {
  summary: 'measure speed and memory (bench rules, bench worker, bench sms, bench e2e, bench kpi)',
  usage:
    'jiancha bench rules [--events 1000000] [--cases 200000] | jiancha bench worker [--events 200000] [--cases 40000] [--batch 2000] [--only pg|pglite]' +
    ' | jiancha bench sms [--messages 5000] [--concurrency 8] [--batch 64] [--latency-ms 0]' +
    ' | jiancha bench e2e [--seconds 10] [--rate 2000] [--latency-seconds 10] [--batch 200] [--concurrency 4] [--window 1000] [--wait-seconds 10] [--only pg|pglite] [--out FILE]' +
    ' | jiancha bench kpi [--events 20000000] [--pglite-events 2000000] [--ingest-events 50000] [--runs 15] [--raw-runs 3] [--skip-pg] [--skip-pglite] [--quick] [--keep] [--database jiancha_bench_kpi]',
  options: {
    events: { type: 'string', help: 'rules, worker, kpi: number of synthetic events (default 1000000 for rules, 200000 for worker, 20000000 for kpi on PostgreSQL)' },
    cases: { type: 'string', help: 'rules, worker: number of cases they belong to (default 200000 for rules, 40000 for worker)' },
    batch: { type: 'string', help: 'worker: messages per batch (default 2000); sms: rows the sender claims at a time (default 64); e2e: events per request of the sustained load (default 200)' },
    only: { type: 'string', help: 'worker, e2e: run on one database only, pg or pglite' },
    messages: { type: 'string', help: 'sms: messages to enqueue and send (default 5000)' },
    concurrency: { type: 'string', help: 'sms: requests in flight, for the sender and the raw POSTs alike (default 8); e2e: requests in flight of the sustained load (default 4)' },
    'latency-ms': { type: 'string', help: 'sms: how long the fake Twilio takes to answer each request (default 0)' },
    seconds: { type: 'string', help: 'e2e: seconds of the sustained (as fast as it goes) load on each database (default 10)' },
    rate: { type: 'string', help: 'e2e: events/s offered for the event-to-card latency (default 2000)' },
    'latency-seconds': { type: 'string', help: 'e2e: seconds of the latency load on each database (default 10)' },
    'wait-seconds': { type: 'string', help: 'e2e: how long each load waits for its last cards; those later count as missing (default 10)' },
    window: { type: 'string', help: 'e2e: events at most awaiting their card in the sustained load (default 1000)' },
    out: { type: 'string', help: 'e2e: the JSON report (default data/bench-e2e-<time>.json)' },
    'pglite-events': { type: 'string', help: 'kpi: events of the year on embedded PGlite (default 2000000)' },
    'ingest-events': { type: 'string', help: 'kpi: events of the slice through the rules and kpi workers, 0 for none (default 50000)' },
    depts: { type: 'string', help: 'kpi: departments (default 300)' },
    runs: { type: 'string', help: 'kpi: timed runs of each read from the rollups (default 15)' },
    'raw-runs': { type: 'string', help: 'kpi: timed runs of each raw read (default 3)' },
    'skip-pg': { type: 'boolean', help: 'kpi: no PostgreSQL' },
    'skip-pglite': { type: 'boolean', help: 'kpi: no PGlite' },
    quick: { type: 'boolean', help: 'kpi: a smoke test: 200000 events on PostgreSQL, 100000 on PGlite, 5000 through the workers, 5 runs, 2 raw' },
    keep: { type: 'boolean', help: 'kpi: keep the database and the PGlite directory' },
    database: { type: 'string', help: 'kpi: the database the bench creates and drops on the server (default jiancha_bench_kpi)' },
  },
  more: () =>
    'bench e2e runs the platform as separate processes (jiancha rules, alerts, dashboard, collector) on PostgreSQL\n' +
    '(BENCH_DATABASE_URL or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a throwaway schema) and as\n' +
    'one process (jiancha start) on embedded PGlite, each on a nats-server of its own, with RULES_SETTLE_MS=0. Every event\n' +
    'raises a card at once; a signed-in socket.io-client times it from the post to the announcement. Beside it, on the\n' +
    'same events: raw JetStream publish and consume, and a COPY of the same rows. About 2 minutes with the defaults.\n\n' +
    'bench kpi loads a synthetic year for --depts departments with COPY into a database of its own on the PostgreSQL server\n' +
    '(BENCH_DATABASE_URL or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; dropped at the end unless --keep)\n' +
    'and into embedded PGlite, then times the monthly and quarterly rankings and a drill-down from the rollups against the\n' +
    'same answers summed from the raw facts, and a scan of the raw events; it fails when an answer differs. Beside them, the\n' +
    'kpi worker\'s ingest rate next to the rules worker\'s, raw JetStream and COPY. Tens of minutes at full size.',
  async run(values, positionals) {
    const which = positionals[0]
    if (which === 'rules') {
      const { benchRules } = await import('../../bench/index.ts')
      return benchRules({ events: count(values.events, 1_000_000, 'events'), cases: count(values.cases, 200_000, 'cases') })
    }
    if (which === 'worker') {
      const only = values.only as string | undefined
      if (only !== undefined && only !== 'pg' && only !== 'pglite') throw new Error('--only takes pg or pglite')
      const { benchWorker } = await import('../../bench/index.ts')
      return benchWorker({ events: count(values.events, 200_000, 'events'), cases: count(values.cases, 40_000, 'cases'), batch: values.batch ? count(values.batch, 2000, 'batch') : undefined, only })
    }
    if (which === 'sms') {
      const { benchSms } = await import('../../bench/index.ts')
      return benchSms({
        messages: count(values.messages, 5000, 'messages'),
        concurrency: count(values.concurrency, 8, 'concurrency'),
        batch: count(values.batch, 64, 'batch'),
        latencyMs: count(values['latency-ms'], 0, 'latency-ms', 0),
      })
    }
    if (which === 'e2e') {
      const only = values.only as string | undefined
      if (only !== undefined && only !== 'pg' && only !== 'pglite') throw new Error('--only takes pg or pglite')
      const opts = {
        seconds: count(values.seconds, 10, 'seconds'),
        rate: count(values.rate, 2000, 'rate'),
        latencySeconds: count(values['latency-seconds'], 10, 'latency-seconds'),
        waitSeconds: count(values['wait-seconds'], 10, 'wait-seconds'),
        batch: count(values.batch, 200, 'batch'),
        concurrency: count(values.concurrency, 4, 'concurrency'),
        window: count(values.window, 1000, 'window'),
        only: only as 'pg' | 'pglite' | undefined,
        out: (values.out as string | undefined) ?? `data/bench-e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      }
      const { benchE2e } = await import('../../bench/index.ts')
      return benchE2e(opts)
    }
    if (which === 'kpi') {
      const quick = values.quick === true
      const { benchKpi } = await import('../../bench/index.ts')
      return benchKpi({
        events: count(values.events, quick ? 200_000 : 20_000_000, 'events'),
        pgliteEvents: count(values['pglite-events'], quick ? 100_000 : 2_000_000, 'pglite-events'),
        ingestEvents: count(values['ingest-events'], quick ? 5000 : 50_000, 'ingest-events', 0),
        depts: count(values.depts, 300, 'depts'),
        runs: count(values.runs, quick ? 5 : 15, 'runs'),
        rawRuns: count(values['raw-runs'], quick ? 2 : 3, 'raw-runs'),
        skipPg: values['skip-pg'] === true,
        skipPglite: values['skip-pglite'] === true,
        keep: values.keep === true,
        url: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        database: (values.database as string | undefined) ?? 'jiancha_bench_kpi',
      })
    }
    throw new Error('usage: jiancha bench rules | jiancha bench worker | jiancha bench sms | jiancha bench e2e | jiancha bench kpi')
  },
}

/** count reads a whole-number option, naming it when it is not one. */
function count(v: unknown, fallback: number, name: string, min = 1): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`)
  return n
}

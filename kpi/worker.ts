/**
 * The kpi worker: it follows the events and the cards on JetStream with durable
 * consumers of its own ("kpi" on JIANCHA_EVENTS and on JIANCHA_ALERTS), a batch at a
 * time, and turns each case's new events and cards into fact changes (caseFacts, then
 * diffFacts against what the case added before), stored with the case in one
 * transaction; only then are the messages acked. A redelivered message changes
 * nothing. Batches of the two streams take turns, so a case is never written twice at
 * once. On TimescaleDB it refreshes, on its own schedule, the days it wrote behind the
 * continuous aggregates' refreshed range, as PGlite runs no job scheduler.
 *
 * After each commit it announces which periods' figures changed (KpiChanged on the
 * live topic LIVE_KPI, at most once a second: announcer.ts), having first refreshed
 * on TimescaleDB what it wrote, so that a read right after the announcement is exact.
 */
import { type CardMessage, type CaseEvent, type ErrorNote, type Kind, type KpiChanged, validateEvent } from '../common/contract/index.ts'
import { ALERTS_STREAM, type Bus, type Delivery, EVENTS_STREAM } from '../common/bus/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { Clock } from '../common/time/index.ts'
import type { RuleContext } from '../rules/index.ts'
import { startAnnouncer } from './announcer.ts'
import { caseFacts, diffFacts, type Fact } from './caseFacts.ts'
import { changedPeriods, LIVE_KPI } from './changedPeriods.ts'
import { addEvent, applyCard, emptyCase, type CaseState } from './caseState.ts'
import { addFacts, type CaseDelta, loadCases, refKey, refreshRollups, saveCases, type StoredCase } from './factStore.ts'
import type { Scheme } from './scheme.ts'
import { recordScheme } from './schemeStore.ts'
import { threadFacts, type ThreadView } from './threadFacts.ts'

/** KPI_CONSUMER is the durable consumer's name on both streams. */
export const KPI_CONSUMER = 'kpi'
const DEFAULT_BATCH = 100

/** KpiWorkerOptions wire the worker. */
export interface KpiWorkerOptions {
  bus: Bus
  db: Db
  /** the rules' context: the zone, the calendar, the clocks' settings the counts compare with */
  ctx: RuleContext
  /** the scheme the figures are scored with, stored with where it came from */
  scheme: { scheme: Scheme; origin: string }
  clock: Clock
  log: Logger
  /** how often to refresh the continuous aggregates behind late facts (ms) */
  refreshMs: number
  /** the least time between two announcements of changed periods (ms); 1000 by default */
  announceMs?: number
  batch?: number
  /**
   * told, inside the transaction, of the facts a batch changed: the frozen periods
   * note their revisions here (kpi/freezer.ts)
   */
  onFacts?: (tx: Queryable, deltas: readonly CaseDelta[], now: number) => Promise<void>
  /**
   * the supervision threads, for the cooperation counts (threadFacts.ts): those changed
   * since an instant, and the open ones; read every refreshMs. No cooperation counts without.
   */
  threads?: { list: (since: number) => Promise<ThreadView[]>; ackHours: number }
}

/** KpiStatus is what the worker reports (KpiDetails). */
export interface KpiStatus {
  events: number
  cards: number
  facts: number
  rollups: 'timescale' | 'plain'
  refreshedAt: string | null
  lastError: ErrorNote | null
}

/** KpiWorker is a running worker. */
export interface KpiWorker {
  status(): KpiStatus
  /** refresh counts the threads and materializes what was written behind the aggregates now, rather than on schedule */
  refresh(): Promise<void>
  stop(): Promise<void>
}

/** startKpiWorker records the scheme and starts both consumers and the refresh schedule. */
export async function startKpiWorker(opts: KpiWorkerOptions): Promise<KpiWorker> {
  const { bus, db, ctx, log, clock } = opts
  const mode = { timescale: db.timescale, zone: ctx.zone.name }
  if (await recordScheme(db, opts.scheme.scheme, opts.scheme.origin, clock.now())) log.info(`kpi scheme ${opts.scheme.scheme.version} recorded`, { origin: opts.scheme.origin })
  log.info(
    db.timescale
      ? `kpi: counts in the hypertable kpi_facts, rolled up by TimescaleDB continuous aggregates (kpi_daily, kpi_monthly on it, real-time); the kpi component refreshes them every ${opts.refreshMs} ms where it wrote behind them${db.backend === 'pglite' ? ' (embedded PGlite runs no job scheduler)' : ''}`
      : `kpi: plain path, no TimescaleDB: counts in kpi_facts, rollup tables kpi_daily and kpi_monthly kept in the same transaction`,
  )
  const status: KpiStatus = { events: 0, cards: 0, facts: 0, rollups: db.timescale ? 'timescale' : 'plain', refreshedAt: null, lastError: null }
  let dirty: { lo: number; hi: number } | null = null
  // One batch at a time across both streams.
  let turn: Promise<unknown> = Promise.resolve()
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn, fn)
    turn = next.catch(() => {})
    return next
  }
  const noteError = (e: unknown, what: string) => {
    status.lastError = { at: new Date().toISOString(), message: (e as Error)?.message ?? String(e) }
    log.error(`kpi: ${what} failed`, { error: status.lastError.message })
  }

  /** apply folds the batch's changes into its cases and stores the fact changes, then acks. */
  async function apply<T>(batch: Delivery<T>[], fold: (d: Delivery<T>, state: CaseState) => boolean, refOf: (d: Delivery<T>) => { kind: Kind; caseId: string } | null): Promise<void> {
    const mine = batch.map((d) => ({ d, ref: refOf(d) }))
    const refs = mine.flatMap((m) => (m.ref ? [m.ref] : []))
    const now = clock.now()
    const deltas = await db.transaction(async (tx) => {
      const stored = await loadCases(tx, refs)
      const touched = new Map<string, StoredCase>()
      for (const { d, ref } of mine) {
        if (!ref) continue
        const key = refKey(ref)
        const c = touched.get(key) ?? stored.get(key) ?? { ...ref, state: emptyCase(), facts: [] }
        if (fold(d, c.state)) touched.set(key, c)
      }
      const out: CaseDelta[] = []
      const changed: StoredCase[] = []
      for (const c of touched.values()) {
        const facts = caseFacts(c.state.events, Object.values(c.state.cards), ctx)
        const diff = diffFacts(c.facts, facts)
        for (const f of diff) out.push({ ...f, kind: c.kind, caseId: c.caseId })
        changed.push({ ...c, facts })
      }
      await addFacts(tx, out, mode, now)
      await saveCases(tx, changed, now)
      if (out.length && opts.onFacts) await opts.onFacts(tx, out, now)
      return out
    })
    for (const { d } of mine) d.ack()
    status.facts += deltas.length
    markDirty(deltas)
  }

  // Announced after the refresh below: the figures read on 'kpi' include the change. A read
  // takes the day in progress from the facts themselves (factStore sumFacts), so only facts
  // before today need the aggregates refreshed first; today's wait for the schedule.
  const behindToday = (span: { lo: number }) => span.lo < ctx.zone.startOf(ctx.zone.dayOf(clock.now()))
  const announcer = startAnnouncer({
    intervalMs: opts.announceMs ?? 1000,
    flush: async (periods) => {
      await inTurn(() => materialize(behindToday))
      bus.publishLive(LIVE_KPI, { periods, at: clock.now() } satisfies KpiChanged)
    },
  })

  const onEvents = (batch: Delivery<CaseEvent>[]) =>
    inTurn(async () => {
      // An event that breaks the contract counts for nothing; the rules worker dead-letters it.
      const valid = batch.filter((d) => {
        if (validateEvent(d.data).ok) return true
        d.term()
        return false
      })
      try {
        await apply(valid, (d, s) => addEvent(s, { ev: d.data, t: Date.parse(d.data.at), seq: d.seq }), (d) => ({ kind: d.data.kind, caseId: d.data.caseId }))
        status.events += valid.length
      } catch (e) {
        noteError(e, 'counting events')
        throw e
      }
    })
  const onCards = (batch: Delivery<CardMessage>[]) =>
    inTurn(async () => {
      try {
        await apply(batch, (d, s) => applyCard(s, d.data), (d) => (d.data.kind ? { kind: d.data.kind, caseId: d.data.caseId } : null))
        status.cards += batch.length
      } catch (e) {
        noteError(e, 'counting cards')
        throw e
      }
    })

  const size = opts.batch ?? DEFAULT_BATCH
  const consumers = [
    bus.consumeBatches<CaseEvent>(EVENTS_STREAM, KPI_CONSUMER, undefined, (b) => onEvents(b), { batch: size, maxAckPending: 4 * size }),
    bus.consumeBatches<CardMessage>(ALERTS_STREAM, KPI_CONSUMER, undefined, (b) => onCards(b), { batch: size, maxAckPending: 4 * size }),
  ]

  const markDirty = (deltas: readonly CaseDelta[]) => {
    for (const f of deltas) dirty = dirty ? { lo: Math.min(dirty.lo, f.t), hi: Math.max(dirty.hi, f.t + 1) } : { lo: f.t, hi: f.t + 1 }
    if (deltas.length) announcer.note(changedPeriods(deltas.map((f) => f.t), ctx.zone, clock.now()))
  }
  // The threads' cooperation counts: each thread a case of kind 'thread', recounted as it changes and as its deadlines pass.
  let cursor = 0
  // What each open thread last counted for, so that a sweep touches the database only for
  // the threads whose facts changed, not for every open one (the embedded database is shared
  // with the live path). Bounded by the open threads: a closed one drops out once seen.
  const counted = new Map<string, { updatedAt: number; facts: Fact[] }>()
  const sweep = () =>
    inTurn(async () => {
      const threads = opts.threads
      if (!threads) return
      try {
        const list = await threads.list(cursor)
        const now = clock.now()
        const seen = new Set<string>()
        const due = list.flatMap((t) => {
          const ref = { kind: 'thread' as const, caseId: String(t.id) }
          const key = refKey(ref)
          seen.add(key)
          const facts = threadFacts(t, now, threads.ackHours, ctx)
          const had = counted.get(key)
          return had && had.updatedAt === t.updatedAt && !diffFacts(had.facts, facts).length ? [] : [{ t, ref, key, facts }]
        })
        for (const key of counted.keys()) if (!seen.has(key)) counted.delete(key)
        if (!due.length) return
        const deltas = await db.transaction(async (tx) => {
          const stored = await loadCases<ThreadView>(tx, due.map((x) => x.ref))
          const out: CaseDelta[] = []
          const changed: StoredCase<ThreadView>[] = []
          for (const { t, ref, key, facts } of due) {
            const had = stored.get(key)
            const diff = diffFacts(had?.facts ?? [], facts)
            if (had && !diff.length) continue
            for (const f of diff) out.push({ ...f, ...ref })
            changed.push({ ...ref, state: t, facts })
          }
          await addFacts(tx, out, mode, now)
          await saveCases(tx, changed, now)
          if (out.length && opts.onFacts) await opts.onFacts(tx, out, now)
          return out
        })
        for (const { t, key, facts } of due) counted.set(key, { updatedAt: t.updatedAt, facts })
        cursor = Math.max(cursor, ...list.map((t) => t.updatedAt))
        status.facts += deltas.length
        markDirty(deltas)
      } catch (e) {
        noteError(e, 'counting the threads')
      }
    })

  /** materialize refreshes the aggregates over what was written since the last time (TimescaleDB), when `needed`; it rejects when that failed. */
  async function materialize(needed: (span: { lo: number; hi: number }) => boolean = () => true): Promise<void> {
    const span = dirty
    if (!span || !db.timescale || !needed(span)) return
    dirty = null
    try {
      await refreshRollups(db, span.lo, span.hi, ctx.zone)
      status.refreshedAt = new Date().toISOString()
    } catch (e) {
      // Tried again with the next span.
      const since = dirty as { lo: number; hi: number } | null
      dirty = since ? { lo: Math.min(since.lo, span.lo), hi: Math.max(since.hi, span.hi) } : span
      noteError(e, 'refreshing the aggregates')
      throw e
    }
  }
  const refresh = () => inTurn(() => materialize().catch(() => {}))
  const timer = setInterval(() => void sweep().then(refresh), opts.refreshMs)
  timer.unref()

  return {
    status: () => ({ ...status }),
    refresh: () => sweep().then(refresh),
    async stop() {
      clearInterval(timer)
      await Promise.all(consumers.map((c) => c.stop()))
      await sweep()
      await announcer.stop()
      await refresh()
    },
  }
}

/**
 * The live rules worker: the pure engine wired to JetStream and the database.
 * Deliveries come in batches and clock ticks in between; both reach the engine as the
 * driver's steps (liveFeed.ts, driver.ts), the same code the marble tests run in
 * virtual time. For each batch:
 *   1. its events are stored, in one transaction with one statement (storeBatch.ts);
 *      the rows the database refuses are left out, the others commit;
 *   2. only then does the engine apply them, in stream order, its clock at the
 *      watermark (liveFeed.ts); cases not in memory are loaded first, in one query
 *      (a case without a status row is new, unless an earlier run may have died
 *      or a batch failed between its store and its statuses: see loadEvents);
 *   3. the cards are published together (JetStream async publishes, awaited as one);
 *   4. the statuses of the cases touched are saved, in one statement;
 *   5. the batch is acked.
 * Step 1 of the next batch runs while steps 2–5 of this one do: the database stores
 * while the engine works. Stores go one batch at a time in stream order, so does the rest.
 * A crash at any point leads to a redelivery that reproduces the same cards, which the
 * bus (message id `key@t`, `key!by`) and the alert store both deduplicate. An event the
 * database refuses is tried again a bounded number of times (JetStream's delivery
 * count), then goes to the dead-letter stream with its reason; it never blocks the
 * messages behind it. Every other failure is logged and retried with backoff.
 */
import { Observable, concatMap, interval, lastValueFrom, map, merge, type Subscription } from 'rxjs'
import { type Alert, type CardMessage, type CaseEvent, type Kind, type TimedEvent, validateEvent } from '../common/contract/index.ts'
import { alertSubject, type Bus, type Delivery, EVENTS_STREAM } from '../common/bus/index.ts'
import { type Clock, systemClock } from '../common/time/index.ts'
import type { Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { RuleContext } from './candidate.ts'
import { RuleEngine, type Fire, type FiredCard } from './engine.ts'
import { type CaseRef, caseRefKey, lastHeard, loadCases, loadRecordedCases, openCases, registrationCases, saveStatuses, type StatusRow } from './eventStore.ts'
import { type Arrival, LiveFeed, type StoredCase } from './liveFeed.ts'
import { acceptSettings, recordVersion, RULES_TOPIC, watchRulesFile, type SettingsMessage } from './settingsReload.ts'
import { SourceWatch } from './sourceWatch.ts'
import { storeBatch } from './storeBatch.ts'
import { uncoveredAlert, type UncoveredNotice } from './uncovered.ts'

/** RULES_CONSUMER is the durable consumer of the events stream that the rules worker runs. */
export const RULES_CONSUMER = 'rules'

/** Batch tuning: messages pulled at once, and tries before a refused event becomes a dead letter. */
const DEFAULT_BATCH = 2000
const DEFAULT_MAX_TRIES = 5
/** Cases loaded from the store per query at start. */
const LOAD_CHUNK = 2000

export interface RulesWorkerOptions {
  bus: Bus
  db: Db
  ctx: RuleContext
  /** the platform clock, which may be the demo's time-lapse */
  clock: Clock
  /** wall time, which the settle delay is meant in; the system clock by default */
  wallClock?: Clock
  /** cardsOf lists the cards that stand for each of the cases, by `kind:caseId`, from the alert store, which owns them */
  cardsOf(cases: readonly CaseRef[]): Promise<ReadonlyMap<string, readonly FiredCard[]>>
  tickMs: number
  /** see EngineOptions.settleMs */
  settleMs: number
  /** see EngineOptions.allowedLatenessMs */
  allowedLatenessMs: number
  /** years the calendar lacked; each becomes one platform-wide calendar.uncovered card */
  uncovered?: UncoveredNotice
  /** office hours of silence after which a source raises source.silent */
  silentHours: number
  /** the rules settings file, watched for edits; its text is in force at start */
  rulesFile?: { path: string; text: string }
  log: Logger
  /** messages pulled and handled together (2000 by default) */
  batch?: number
  /** deliveries of an event the database refuses before it goes to the dead letters (5 by default) */
  maxTries?: number
}

/** WorkerStatus is the worker's state, for a health endpoint. */
export interface WorkerStatus {
  /** the bus connection is up */
  connected: boolean
  /** the last failure, until a batch or tick succeeds after it */
  lastError: { at: string; message: string } | null
  /** dead letters of the events stream (kept on the bus; counted at start, then as they come) */
  deadLetters: number
  /** messages waiting for the worker, as last known */
  backlog: number
  /** how far (ms of the platform clock) the engine's clock is behind the platform clock */
  watermarkLagMs: number
  /** events applied since start */
  applied: number
  cases: number
}

/** RulesWorker is a running worker. */
export interface RulesWorker {
  engine: RuleEngine
  /** status reads the worker's state now */
  status(): WorkerStatus
  stop(): Promise<void>
}

/** Prepared is a batch stored: the deliveries whose events the store holds, and how many messages waited behind it. */
interface Prepared {
  items: Array<{ d: Delivery<CaseEvent>; a: Arrival }>
  behind: number
  /** when they were stored, on the platform clock: when their sources count as heard from */
  heardAt: number
}

type Input = { type: 'batch'; batch: Delivery<CaseEvent>[]; stored: Prepared; done: (e?: unknown) => void } | { type: 'tick' }

/** startRulesWorker rebuilds state from the store, then follows the bus. */
export async function startRulesWorker(opts: RulesWorkerOptions): Promise<RulesWorker> {
  const { bus, db, clock, log } = opts
  const maxTries = opts.maxTries ?? DEFAULT_MAX_TRIES
  let ctx = opts.ctx
  let lastError: WorkerStatus['lastError'] = null
  let applied = 0
  let deadLetters = await bus.deadLetters(EVENTS_STREAM).catch(() => 0)
  const engine = new RuleEngine(ctx, { settleMs: opts.settleMs, allowedLatenessMs: opts.allowedLatenessMs })
  // What the consumer had delivered when this run began: anything of it not acked is an earlier run's, and comes again.
  const startState = await bus.consumerState(EVENTS_STREAM, RULES_CONSUMER).catch(() => null)
  // The worker saves a batch's statuses before it acks the batch, so a case without a
  // status row has no events stored, but for two kinds of case, which are looked up among
  // all events: those of this run's batches stored and then failed before their statuses
  // were saved, and any case until the ack floor passes what the earlier run had been
  // given (it may have died between the two). Most of a batch's new cases, their first
  // event, then cost one primary-key probe instead of one probe per chunk of the events
  // hypertable. (Without the two, a case's closing event applied before its stored
  // opening one raised a false card: the engine compacts a closed case.)
  const unsaved = new Set<string>()
  let orphansPossible = startState !== null && startState.ackFloor < startState.delivered
  const loadEvents = async (cases: readonly CaseRef[]): Promise<Map<string, TimedEvent[]>> => {
    if (orphansPossible) return loadCases(db, cases)
    const exact: CaseRef[] = []
    const recorded: CaseRef[] = []
    for (const c of cases) (unsaved.has(caseRefKey(c.kind, c.caseId)) ? exact : recorded).push(c)
    const events = await loadRecordedCases(db, recorded)
    if (exact.length) for (const [key, list] of await loadCases(db, exact)) events.set(key, list)
    return events
  }
  const storedCases = async (cases: readonly CaseRef[]): Promise<Map<string, StoredCase>> => {
    const events = await loadEvents(cases)
    // A case never seen has no cards: no need to ask the alert store.
    const fired = events.size ? await opts.cardsOf([...events.values()].map((list) => ({ kind: list[0]!.ev.kind, caseId: list[0]!.ev.caseId }))) : new Map()
    const out = new Map<string, StoredCase>()
    for (const [key, list] of events) out.set(key, { events: list, fired: fired.get(key) ?? [] })
    return out
  }
  let floor: { seq: number; receivedAt: number } | null = null
  const feed = new LiveFeed(engine, {
    clock,
    wallClock: opts.wallClock ?? systemClock,
    log,
    store: {
      stored: storedCases,
      registrations: (windows) => registrationCases(db, windows),
      position: async () => {
        const s = await bus.consumerState(EVENTS_STREAM, RULES_CONSUMER)
        if (!s) return { waiting: 0, orphan: null }
        const orphaned = startState !== null && s.ackFloor < startState.delivered
        if (!orphaned) orphansPossible = false
        // The oldest unacked message (an orphan of an earlier run, or one of this run's given
        // back): its bus time is looked up once for each new floor, for both.
        const seq = s.ackFloor + 1
        if ((orphaned || s.ackPending > 0) && floor?.seq !== seq) {
          const at = await bus.receivedAt(EVENTS_STREAM, seq)
          floor = at === null ? null : { seq, receivedAt: at }
        }
        const oldest = floor?.seq === seq ? floor : null
        return { waiting: s.pending + s.ackPending, orphan: orphaned ? (oldest?.receivedAt ?? null) : null, unacked: s.ackPending > 0 ? oldest : null, ackFloor: s.ackFloor }
      },
    },
  })
  const watch = new SourceWatch(opts.silentHours, ctx)
  // When each source was last heard from, so that a silence spanning a restart is still seen.
  for (const s of await lastHeard(db)) watch.seen(s.source, s.dept, Math.min(s.receivedAt, clock.now()))
  if (opts.rulesFile) await recordVersion(db, ctx.settings, opts.rulesFile.path, opts.rulesFile.text, clock.now())
  // Settings arrive over the bus from whichever rules process saw the file change.
  const reload = bus.subscribeLive<SettingsMessage>(RULES_TOPIC, (msg) => {
    const settings = acceptSettings(msg, log)
    if (!settings || settings.version === ctx.settings.version) return
    ctx = { ...ctx, settings }
    engine.setContext(ctx)
    recordVersion(db, settings, msg.origin, msg.text, clock.now()).catch((e: unknown) => log.warn('could not record settings version', { error: (e as Error).message }))
    log.info(`rules settings ${settings.version} in force`, { origin: msg.origin })
  })
  const watcher = opts.rulesFile ? watchRulesFile(opts.rulesFile.path, bus, log) : null
  // Cases whose last event came among the last messages the earlier run took: what was sent
  // with them may still be on the bus. They settle until everything up to that run's last
  // message (and a settle delay after it) is applied.
  const window = 4 * (opts.batch ?? DEFAULT_BATCH)
  const lastRx = startState && startState.delivered > 0 ? await bus.receivedAt(EVENTS_STREAM, startState.delivered).catch(() => null) : null
  const recent = startState && lastRx !== null ? { fromSeq: startState.delivered - window, rx: lastRx } : null
  await rebuild(feed, db, storedCases, log, recent)

  let consumer: { stop(): Promise<void> } | undefined
  // Two stages, so that the database stores the next batch while the engine applies this
  // one: a batch is validated and stored (stores one batch at a time, in stream order),
  // then applied in the pipeline below, one at a time and in order, between the ticks.
  let storing: Promise<unknown> = Promise.resolve()
  const deliveries$ = new Observable<Input>((sub) => {
    consumer = bus.consumeBatches<CaseEvent>(
      EVENTS_STREAM,
      RULES_CONSUMER,
      undefined,
      async (batch) => {
        const prepared = storing.catch(() => {}).then(() => prepare(batch))
        storing = prepared
        let stored: Prepared
        try {
          stored = await prepared
        } catch (e) {
          failed(batch, e)
          throw e
        }
        // The handler resolves when the pipeline has settled this batch.
        await new Promise<void>((resolve, reject) => sub.next({ type: 'batch', batch, stored, done: (e) => (e === undefined ? resolve() : reject(e)) }))
      },
      // Room for a batch being applied, one being stored, two pulled behind them and messages held for a retry.
      { batch: opts.batch ?? DEFAULT_BATCH, pipeline: 2, maxAckPending: 6 * (opts.batch ?? DEFAULT_BATCH) },
    )
  })
  const ticks$ = interval(opts.tickMs).pipe(map((): Input => ({ type: 'tick' })))
  let tickFailures = 0
  let tickPauseUntil = 0
  // The step being run, so that stop waits for it: a tick must not outlive the database it writes to.
  let inFlight: Promise<void> = Promise.resolve()
  const subscription: Subscription = merge(deliveries$, ticks$)
    .pipe(concatMap((input) => (inFlight = process(input))))
    .subscribe({ error: (e: unknown) => log.error('rules pipeline stopped', { error: (e as Error).message }) })

  async function process(input: Input): Promise<void> {
    if (input.type === 'batch') {
      try {
        await apply(input.stored)
        lastError = null
        input.done()
      } catch (e) {
        failed(input.batch, e)
        input.done(e)
      }
      return
    }
    if (Date.now() < tickPauseUntil) return
    try {
      await onTick()
      tickFailures = 0
    } catch (e) {
      const delay = Math.min(5000, 500 * 2 ** tickFailures++)
      tickPauseUntil = Date.now() + delay
      noteError(e)
      log.error(`rules tick failed; trying again in ${delay} ms`, { error: (e as Error).message })
    }
  }

  /** failed notes a batch that failed: the consumer naks it and backs off before it pulls again, and says so. */
  function failed(batch: readonly Delivery<CaseEvent>[], e: unknown): void {
    // Messages behind it may be applied first: the watermark waits for these.
    for (const d of batch) if (!d.settled) feed.hold(d.seq, d.receivedAt)
    // Its events may be stored, their cases' statuses not.
    for (const d of batch) if (typeof d.data?.kind === 'string' && typeof d.data.caseId === 'string') unsaved.add(caseRefKey(d.data.kind, d.data.caseId))
    noteError(e)
  }

  function noteError(e: unknown): void {
    lastError = { at: new Date().toISOString(), message: (e as Error)?.message ?? String(e) }
  }

  /** prepare validates a batch and stores what keeps the contract; see the top of this file. */
  async function prepare(batch: Delivery<CaseEvent>[]): Promise<Prepared> {
    const behind = batch[batch.length - 1]!.pending
    // Only events that keep the contract reach the store and the engine; another is a dead letter at once.
    const items: Array<{ d: Delivery<CaseEvent>; a: Arrival }> = []
    for (const d of batch) {
      const v = validateEvent(d.data)
      if (v.ok) items.push({ d, a: { te: { ev: v.event, t: v.t, seq: d.seq }, receivedAt: d.receivedAt } })
      else await giveUp(d, `not a valid event: ${v.field}: ${v.message}`)
    }
    const outcome = await storeBatch(db, items.map((x) => x.a.te))
    const stored: Prepared['items'] = []
    for (const [i, x] of items.entries()) {
      const refused = outcome.refused.get(i)
      if (!refused) {
        stored.push(x)
        continue
      }
      if (x.d.tries >= maxTries) {
        await giveUp(x.d, `the database refused it: ${refused.message}`)
      } else {
        const delay = Math.min(30_000, 1000 * 2 ** (x.d.tries - 1))
        log.warn(`the database refused event seq ${x.d.seq} (try ${x.d.tries} of ${maxTries}); again in ${delay} ms`, { id: x.a.te.ev.id, error: refused.message })
        feed.hold(x.d.seq, x.d.receivedAt, true)
        x.d.nak(delay)
      }
    }
    return { items: stored, behind, heardAt: clock.now() }
  }

  /** apply hands a stored batch to the engine, publishes its cards, saves the statuses and acks it. */
  async function apply({ items: stored, behind, heardAt }: Prepared): Promise<void> {
    if (!stored.length) {
      feed.delivered(behind)
      return
    }
    const fires = await lastValueFrom(feed.batch(stored.map((x) => x.a), behind))
    for (const { a } of stored) watch.seen(a.te.ev.source, a.te.ev.dept, heardAt)
    applied += stored.length
    await publishFires(bus, engine, fires, log)
    await db.transaction((tx) => saveStatuses(tx, statusRows(engine, stored.map((x) => x.a.te.ev), fires)))
    for (const { a } of stored) unsaved.delete(caseRefKey(a.te.ev.kind, a.te.ev.caseId))
    for (const { d } of stored) d.ack()
    await raiseUncovered()
  }

  async function giveUp(d: Delivery<CaseEvent>, reason: string): Promise<void> {
    feed.release(d.seq)
    await d.deadLetter(reason)
    deadLetters++
    const ev = d.data as Partial<CaseEvent> | null
    log.error(`dead letter: event seq ${d.seq} after ${d.tries} ${d.tries === 1 ? 'try' : 'tries'}: ${reason}`, { id: typeof ev?.id === 'string' ? ev.id : undefined, source: typeof ev?.source === 'string' ? ev.source : undefined, deadLetters })
  }

  /** raiseUncovered publishes one calendar.uncovered card per year the calendar lacked (its key makes it once forever). */
  async function raiseUncovered(): Promise<void> {
    const years = opts.uncovered?.drain() ?? []
    for (const [i, year] of years.entries()) {
      const a = uncoveredAlert(year, clock.now(), (t) => ctx.zone.format(t), ctx.settings.version)
      try {
        await bus.publish(alertSubject(a.level, a.dept), a, a.key)
      } catch (e) {
        for (const y of years.slice(i)) opts.uncovered!.retry(y)
        throw e
      }
    }
  }

  async function onTick(): Promise<void> {
    const fires = await lastValueFrom(feed.tick())
    await publishFires(bus, engine, fires, log)
    const rows = statusRows(engine, [], fires)
    if (rows.length) await db.transaction((tx) => saveStatuses(tx, rows))
    // After the cards: they are fired in the engine already, and a failure here must not keep them from the bus.
    await raiseUncovered()
    for (const a of watch.due(clock.now(), ctx.settings.version)) await bus.publish(alertSubject(a.level, a.dept), a, a.key)
  }

  log.info('rules worker started', { cases: engine.caseCount })
  return {
    engine,
    status: () => ({
      connected: bus.connected,
      lastError,
      deadLetters,
      backlog: feed.behind,
      watermarkLagMs: engine.now === -Infinity ? 0 : feed.lagMs(),
      applied,
      cases: engine.caseCount,
    }),
    async stop() {
      watcher?.stop()
      reload.unsubscribe()
      // The consumer first: it waits for the batch in hand, which needs the pipeline.
      await consumer?.stop()
      subscription.unsubscribe()
      await inFlight
    },
  }
}

/**
 * statusRows lists, once per case, the status to record of each case that had events
 * in the batch (with its latest `at`) and of each case a card fired or was withdrawn on.
 */
function statusRows(engine: RuleEngine, events: readonly CaseEvent[], fires: readonly Fire[]): StatusRow[] {
  const rows = new Map<string, StatusRow>()
  // Cases whose settle delay ended: no longer open for it, unless something else is pending.
  for (const c of engine.takeReleased()) rows.set(caseRefKey(c.kind, c.caseId), { ...c, status: { open: false, nextDue: null }, lastAt: null })
  for (const ev of events) {
    const key = caseRefKey(ev.kind, ev.caseId)
    const t = Date.parse(ev.at)
    const row = rows.get(key)
    if (row) {
      row.dept = ev.dept
      row.lastAt = row.lastAt === null ? t : Math.max(row.lastAt, t)
    } else {
      rows.set(key, { kind: ev.kind, caseId: ev.caseId, dept: ev.dept, status: { open: false, nextDue: null }, lastAt: t })
    }
  }
  for (const f of fires) {
    const a: Alert = f.alert
    if (!a.kind) continue
    const key = caseRefKey(a.kind, a.caseId)
    if (!rows.has(key)) rows.set(key, { kind: a.kind, caseId: a.caseId, dept: a.dept, status: { open: false, nextDue: null }, lastAt: null })
  }
  for (const row of rows.values()) row.status = engine.status(row.kind as Kind, row.caseId)
  return [...rows.values()]
}

/**
 * publishFires sends the cards to the alerts stream, all at once (JetStream async
 * publishes awaited together; the connection keeps their order). The message id is
 * the card's key and instant (or the withdrawing event), so a redelivery is
 * deduplicated but a correction is not. Cards that could not be sent are un-fired, so
 * that they fire again on a later tick; the case then stays open in the store.
 */
export async function publishFires(bus: Bus, engine: RuleEngine, fires: Fire[], log: Logger): Promise<void> {
  if (!fires.length) return
  const results = await Promise.allSettled(
    fires.map((f) => {
      const msg: CardMessage = f.withdrawn ? { ...f.alert, withdrawn: f.withdrawn } : f.alert
      const msgId = f.withdrawn ? `${f.alert.key}!${f.withdrawn.by}` : `${f.alert.key}@${f.t}`
      return bus.publish(alertSubject(f.alert.level, f.alert.dept), msg, msgId)
    }),
  )
  let failed = 0
  let reason = ''
  for (const [i, r] of results.entries()) {
    const f = fires[i]!
    if (r.status === 'fulfilled') {
      log.debug(f.withdrawn ? 'card withdrawn' : 'card', { key: f.alert.key, at: f.alert.at })
      continue
    }
    failed++
    reason = (r.reason as Error)?.message ?? String(r.reason)
    if (!f.withdrawn && f.alert.kind) engine.unfire(f.alert.kind, f.alert.caseId, f.alert.rule, f.alert.level)
  }
  if (failed) log.error(`could not publish ${failed} of ${fires.length} cards; they fire again on a later tick`, { error: reason })
}

/** rebuild reloads every case with a card still to fire, a chunk of cases per query. */
async function rebuild(feed: LiveFeed, db: Db, stored: (cases: readonly CaseRef[]) => Promise<Map<string, StoredCase>>, log: Logger, recent: { fromSeq: number; rx: number } | null): Promise<void> {
  const t0 = performance.now()
  const cases = await openCases(db)
  const registrations: TimedEvent[] = []
  for (let i = 0; i < cases.length; i += LOAD_CHUNK) {
    for (const c of (await stored(cases.slice(i, i + LOAD_CHUNK))).values()) {
      const lastSeq = c.events.reduce((m, te) => Math.max(m, te.seq), 0)
      feed.restore(recent && lastSeq > recent.fromSeq ? { ...c, lastReceivedAt: recent.rx } : c)
      for (const te of c.events) if (te.ev.kind === 'petition' && te.ev.type === 'registered') registrations.push(te)
    }
  }
  // The repeat rule of a reloaded registration reads the petitioner's others, closed cases or not.
  for (let i = 0; i < registrations.length; i += LOAD_CHUNK) await lastValueFrom(feed.preload(registrations.slice(i, i + LOAD_CHUNK)))
  log.info('rules state rebuilt', { cases: cases.length, ms: Math.round(performance.now() - t0) })
}

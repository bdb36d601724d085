/**
 * The live rules worker: the pure engine wired to JetStream and the database.
 * Deliveries and clock ticks reach the engine as the driver's steps (liveFeed.ts,
 * driver.ts), the same code the marble tests run in virtual time.
 * Each event is fed to the engine, the cards it fires are published, the event and
 * the case status are committed, and only then is the message acked. A crash at any
 * point leads to a redelivery that reproduces the same cards, which the alert store
 * and the bus both deduplicate.
 */
import { Observable, concatMap, interval, lastValueFrom, map, merge, type Subscription } from 'rxjs'
import type { Alert, CardMessage, CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'
import { alertSubject, type Bus, type Delivery } from '../common/bus/index.ts'
import { type Clock, DAY_MS, systemClock } from '../common/time/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { RuleContext } from './candidate.ts'
import { RuleEngine, type Fire, type FiredCard } from './engine.ts'
import { lastHeard, loadCase, openCases, recentRegistrations, saveStatus, storeEvent, updateStatus } from './eventStore.ts'
import { LiveFeed } from './liveFeed.ts'
import { acceptSettings, recordVersion, RULES_TOPIC, watchRulesFile, type SettingsMessage } from './settingsReload.ts'
import { SourceWatch } from './sourceWatch.ts'
import { uncoveredAlert, type UncoveredNotice } from './uncovered.ts'

export interface RulesWorkerOptions {
  bus: Bus
  db: Db
  ctx: RuleContext
  /** the platform clock, which may be the demo's time-lapse */
  clock: Clock
  /** wall time, which the settle delay is meant in; the system clock by default */
  wallClock?: Clock
  /** cardsOf lists the cards a case raised that stand, from the alert store, which owns them */
  cardsOf(kind: Kind, caseId: string): Promise<FiredCard[]>
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
}

type Input = { type: 'event'; te: TimedEvent; delivery: Delivery<CaseEvent> } | { type: 'tick' }

/** startRulesWorker rebuilds state from the store, then follows the bus. */
export async function startRulesWorker(opts: RulesWorkerOptions): Promise<{ engine: RuleEngine; stop(): Promise<void> }> {
  const { bus, db, clock, log } = opts
  let ctx = opts.ctx
  const engine = new RuleEngine(ctx, { settleMs: opts.settleMs, allowedLatenessMs: opts.allowedLatenessMs })
  const feed = new LiveFeed(engine, {
    clock,
    wallClock: opts.wallClock ?? systemClock,
    log,
    store: {
      // A case never seen has no cards: no need to ask the alert store.
      stored: async (kind, caseId) => {
        const events = await loadCase(db, kind, caseId)
        return { events, fired: events.length ? await opts.cardsOf(kind, caseId) : [] }
      },
      backlog: () => bus.backlog('JIANCHA_EVENTS', 'rules'),
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
  await rebuild(feed, db, opts.cardsOf, ctx, clock.now(), log)

  let consumer: { stop(): Promise<void> } | undefined
  const deliveries$ = new Observable<Input>((sub) => {
    consumer = bus.consume<CaseEvent>('JIANCHA_EVENTS', 'rules', undefined, (d) =>
      // The handler resolves when the pipeline has settled this delivery: one at a time, in order.
      new Promise<void>((resolve) => sub.next({ type: 'event', te: { ev: d.data, t: Date.parse(d.data.at), seq: d.seq }, delivery: wrap(d, resolve) })),
    )
  })
  const ticks$ = interval(opts.tickMs).pipe(map((): Input => ({ type: 'tick' })))
  const subscription: Subscription = merge(deliveries$, ticks$)
    .pipe(concatMap((input) => process(input)))
    .subscribe({ error: (e: unknown) => log.error('rules pipeline stopped', { error: (e as Error).message }) })

  async function process(input: Input): Promise<void> {
    try {
      if (input.type === 'tick') return await onTick()
      await onEvent(input.te)
      await raiseUncovered()
      input.delivery.ack()
    } catch (e) {
      log.error('rules step failed; will retry', { error: (e as Error).message })
      if (input.type === 'event') input.delivery.nak(1000)
    }
  }

  async function onEvent(te: TimedEvent): Promise<void> {
    const { kind, caseId } = te.ev
    const fires = await lastValueFrom(feed.event(te))
    watch.seen(te.ev.source, te.ev.dept, clock.now())
    await publishFires(bus, engine, fires, log)
    await db.transaction(async (tx) => {
      await storeEvent(tx, te)
      await saveStatus(tx, kind, caseId, te.ev.dept, engine.status(kind, caseId), te.t)
      for (const f of fires) if (f.alert.kind && f.alert.caseId !== caseId) await saveStatusOf(tx, engine, f.alert)
    })
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
    if (fires === null) return // still applying the backlog
    if (fires.length) {
      await publishFires(bus, engine, fires, log)
      await db.transaction(async (tx) => {
        for (const f of fires) await saveStatusOf(tx, engine, f.alert)
      })
    }
    // After the cards: they are fired in the engine already, and a failure here must not keep them from the bus.
    await raiseUncovered()
    const now = clock.now()
    for (const a of watch.due(now, ctx.settings.version)) await bus.publish(alertSubject(a.level, a.dept), a, a.key)
  }

  log.info('rules worker started', { cases: engine.caseCount })
  return {
    engine,
    async stop() {
      watcher?.stop()
      reload.unsubscribe()
      // The consumer first: it waits for the event in hand, which needs the pipeline.
      await consumer?.stop()
      subscription.unsubscribe()
    },
  }
}

function wrap(d: Delivery<CaseEvent>, resolve: () => void): Delivery<CaseEvent> {
  return {
    ...d,
    ack: () => { d.ack(); resolve() },
    nak: (ms?: number) => { d.nak(ms); resolve() },
    term: () => { d.term(); resolve() },
  }
}

async function saveStatusOf(tx: Queryable, engine: RuleEngine, a: Alert): Promise<void> {
  if (a.kind) await updateStatus(tx, a.kind, a.caseId, engine.status(a.kind, a.caseId))
}

/**
 * publishFires sends each card to the alerts stream. The message id is the card's key
 * and instant (or the withdrawing event), so a redelivery is deduplicated but a
 * correction is not. Cards that could not be sent are un-fired to be tried again.
 */
export async function publishFires(bus: Bus, engine: RuleEngine, fires: Fire[], log: Logger): Promise<void> {
  for (const [i, f] of fires.entries()) {
    const msg: CardMessage = f.withdrawn ? { ...f.alert, withdrawn: f.withdrawn } : f.alert
    const msgId = f.withdrawn ? `${f.alert.key}!${f.withdrawn.by}` : `${f.alert.key}@${f.t}`
    try {
      await bus.publish(alertSubject(f.alert.level, f.alert.dept), msg, msgId)
    } catch (e) {
      for (const g of fires.slice(i)) if (!g.withdrawn && g.alert.kind) engine.unfire(g.alert.kind, g.alert.caseId, g.alert.rule, g.alert.level)
      throw e
    }
    log.debug(f.withdrawn ? 'card withdrawn' : 'card', { key: f.alert.key, at: f.alert.at })
  }
}

/** rebuild reloads every case that had deadlines ahead, and recent petitions for the repeat rule. */
async function rebuild(feed: LiveFeed, db: Db, cardsOf: RulesWorkerOptions['cardsOf'], ctx: RuleContext, now: number, log: Logger): Promise<void> {
  const t0 = performance.now()
  const since = now - (ctx.settings.petition.repeatWindowDays + 1) * DAY_MS
  const cases = new Map<string, { kind: Kind; caseId: string }>()
  for (const c of [...(await openCases(db)), ...(await recentRegistrations(db, since))]) cases.set(`${c.kind}:${c.caseId}`, c)
  for (const c of cases.values()) feed.restore({ events: await loadCase(db, c.kind, c.caseId), fired: await cardsOf(c.kind, c.caseId) })
  log.info('rules state rebuilt', { cases: cases.size, ms: Math.round(performance.now() - t0) })
}

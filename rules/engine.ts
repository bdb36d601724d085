/**
 * RuleEngine is the pure core of the rules: it holds each case's events in event-time
 * order, derives the case's candidate cards with the rule functions, and fires a card
 * once the engine's clock reaches its instant. It does no I/O and reads no clock of
 * its own, so it runs identically live (wall clock), in replay (virtual clock) and in
 * marble tests.
 *
 * Late events: rules are causal, so an event that arrives late simply changes the
 * candidates. A card not yet fired is thereby prevented or moved. A card already fired
 * that the late event disproves is withdrawn (a correction), provided the event is no
 * later than the allowed lateness; a later event still counts for what lies ahead but
 * corrects nothing, so that records back-filled long after cannot erase a card.
 */
import { type Alert, alertKey, caseKey, type Kind, type Level, type TimedEvent } from '../common/contract/index.ts'
import { approval } from './approval.ts'
import type { Candidate, KindRules, RuleContext, RulePart } from './candidate.ts'
import { enforcement } from './enforcement.ts'
import { petition } from './petition.ts'
import { PetitionerIndex, type Registration } from './repeat.ts'
import { itemCodeOf, settingsFor } from './overrides.ts'
import type { RuleId, RuleSettings } from './settings.ts'
import { supervision } from './supervision.ts'
import { TimerHeap } from './timerHeap.ts'

const RULES_BY_KIND: Record<Kind, KindRules> = { approval, enforcement, petition, supervision }

/** Events that end a case's deadlines; after one, the case keeps only what later rules read. */
const TERMINAL: Record<Kind, readonly string[]> = {
  approval: ['completed', 'withdrawn', 'rejected'],
  enforcement: ['concluded'],
  petition: ['replied'],
  supervision: ['completed'],
}

/** Event types that later rules may still read once a case is closed. */
const STRUCTURAL: Record<Kind, readonly string[]> = {
  approval: ['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'decided', 'completed', 'withdrawn'],
  enforcement: ['filed', 'penalty', 'concluded'],
  petition: ['registered', 'accepted', 'extended', 'replied'],
  supervision: ['assigned', 'completed'],
}

// A case's clock cards are kept across events that are not of a clock type, and they
// were derived before any compaction: that is right only if compaction keeps every
// event a clock reads. Fail at load rather than drift.
for (const kind of Object.keys(RULES_BY_KIND) as Kind[]) {
  for (const type of RULES_BY_KIND[kind].clockTypes) {
    if (!STRUCTURAL[kind].includes(type)) throw new Error(`engine: ${kind} clocks read "${type}", which compaction would drop`)
  }
}

/** Fire is one card the engine raised or, with `withdrawn`, took back. */
export interface Fire {
  alert: Alert
  /** the card's instant, epoch ms */
  t: number
  /** set when a late event disproved a card already raised: the id of that event */
  withdrawn?: { by: string }
}

/** FiredCard is a card a case already raised, as the store knows it: the engine loads it so as not to raise it again. */
export interface FiredCard {
  rule: string
  level: string
  /** the card's instant, epoch ms */
  at: number
}

/** EngineOptions tune the live behaviour; replay and tests use the defaults. */
export interface EngineOptions {
  /**
   * After an event arrives, a case's cards wait this long (wall time) before firing,
   * so that events sent together (a backfill, a batch out of order) are all applied
   * first and no card fires that the next event would have prevented. 0 in replay.
   */
  settleMs?: number
  /** how far behind the clock an event may be and still correct a fired card (Infinity by default) */
  allowedLatenessMs?: number
}

interface CaseState {
  kind: Kind
  caseId: string
  dept: string
  events: TimedEvent[]
  /** event identities (source and id), kept only for cases too big to scan */
  ids: Set<string> | null
  /** the cards of the deadline clocks, kept while no clock-type event arrives (KindRules) */
  clocks: readonly Candidate[]
  /** the cards of the rules of single events, derived on every event */
  marks: readonly Candidate[]
  /** the context and settings the clock cards were derived under; null: derive them again */
  clockCtx: RuleContext | null
  clockSettings: RuleSettings | null
  repeat: Candidate | null
  /** fired card id (rule:level) → its instant */
  fired: Map<string, number> | null
  /** wall time until which the case is settling: its cards wait */
  quietUntil: number
  /**
   * and the bus time the settle horizon must pass first: every message that reached the
   * bus within the settle delay after the case's last event is applied before its cards
   * fire, however long the worker was kept from applying them
   */
  quietRx: number
  /** events arrived since the last settle */
  dirty: boolean
  /** one of them was later than the allowed lateness: no correction this time */
  frozen: boolean
  /** the last arrival, which a correction names */
  lastEventId: string
  /** events.length when the case was last compacted (or found not closable) */
  compactedAt: number
  /** the instant of the case's latest timer not yet popped, or NaN: a second one at that instant would change nothing */
  timerAt: number
}

/** CaseStatus tells a store whether a case still has deadlines ahead. */
export interface CaseStatus {
  open: boolean
  nextDue: number | null
}

const SCAN_LIMIT = 32

export class RuleEngine {
  /** cases by kind, then caseId: no key string is built per event on the hot path */
  private readonly byKind: Record<Kind, Map<string, CaseState>> = {
    approval: new Map(), enforcement: new Map(), petition: new Map(), supervision: new Map(),
  }
  private readonly timers = new TimerHeap<CaseState>()
  private readonly petitioners: PetitionerIndex
  /** cases waiting out their settle delay, in order of quietUntil */
  private readonly held = new Set<CaseState>()
  /** cases whose settle delay ended since takeReleased was last called: their status changed */
  private released: CaseState[] = []
  private readonly scratch: Candidate[] = []
  private readonly settleMs: number
  private readonly latenessMs: number
  private clock = -Infinity
  private wall = -Infinity
  /** see advance() */
  private horizon = Infinity

  constructor(private ctx: RuleContext, opts: EngineOptions = {}) {
    this.settleMs = opts.settleMs ?? 0
    this.latenessMs = opts.allowedLatenessMs ?? Infinity
    this.petitioners = new PetitionerIndex(
      () => this.ctx.settings.petition.repeatCount,
      () => this.ctx.settings.petition.repeatWindowDays,
    )
  }

  /** now is the engine's clock: the latest instant passed to advance(). */
  get now(): number {
    return this.clock
  }

  /** repeatWindowDays is the window of petition.repeat in force, in days of 24 h. */
  get repeatWindowDays(): number {
    return this.ctx.settings.petition.repeatWindowDays
  }

  /** caseCount is the number of cases held in memory. */
  get caseCount(): number {
    let n = 0
    for (const m of Object.values(this.byKind)) n += m.size
    return n
  }

  /** eventCount is the number of events held in memory, over all cases. */
  eventCount(): number {
    let n = 0
    for (const m of Object.values(this.byKind)) for (const c of m.values()) n += c.events.length
    return n
  }

  /**
   * ingest adds one event to its case and returns the cards that are now due at the
   * engine's clock (and any it withdraws). A second event with the same source and id
   * is ignored (an id is unique at its source only).
   * `wall` is given live, to start the case's settle delay, with `rx`, the event's bus time.
   */
  ingest(te: TimedEvent, wall?: number, rx?: number): Fire[] {
    if (wall !== undefined && wall > this.wall) this.wall = wall
    const ev = te.ev
    let c = this.byKind[ev.kind].get(ev.caseId)
    if (!c) c = this.addCase(te)
    else if (hasEvent(c, ev.source, ev.id)) return []
    addEvent(c, te)
    c.dirty = true
    c.lastEventId = ev.id
    if (te.t < this.clock - this.latenessMs) c.frozen = true
    if (wall !== undefined && this.settleMs > 0) {
      // Re-added at the end: `held` stays in order of quietUntil, so advance stops at the first still settling.
      c.quietUntil = this.wall + this.settleMs
      c.quietRx = rx === undefined ? -Infinity : Math.max(c.quietRx, rx + this.settleMs)
      this.held.delete(c)
      this.held.add(c)
    }
    this.derive(c, ev.type)
    const fires: Fire[] = []
    if (ev.kind === 'petition' && ev.type === 'registered') {
      for (const reg of this.petitioners.add(caseKey(c.kind, c.caseId), te)) this.refreshRepeat(reg, fires)
    }
    this.settle(c, fires)
    return sortFires(fires)
  }

  /**
   * advance moves the clock to `now` and returns every card that came due, in order.
   * Live, `horizon` is the bus time of the oldest message known not to be applied
   * (Infinity when none is known): settle delays end only for cases whose events are
   * older than it by the delay.
   */
  advance(now: number, wall?: number, horizon = Infinity): Fire[] {
    if (now > this.clock) this.clock = now
    if (wall !== undefined && wall > this.wall) this.wall = wall
    this.horizon = horizon
    const fires: Fire[] = []
    while (this.timers.peek() <= this.clock) {
      const t = this.timers.peek()
      const c = this.timers.pop()!
      if (c.timerAt === t) c.timerAt = NaN
      this.settle(c, fires)
    }
    if (this.held.size) {
      for (const c of this.held) {
        if (this.settling(c)) break
        this.held.delete(c)
        // Settled: the horizon may fall back later (a message held), but only a new event of its own starts another delay.
        c.quietRx = -Infinity
        this.released.push(c)
        this.settle(c, fires)
      }
    }
    return sortFires(fires)
  }

  /** takeReleased returns the cases whose settle delay ended since the last call (their status may have changed), and forgets them. */
  takeReleased(): Array<{ kind: Kind; caseId: string; dept: string }> {
    const out = this.released.map((c) => ({ kind: c.kind, caseId: c.caseId, dept: c.dept }))
    this.released = []
    return out
  }

  /** has tells whether a case is held in memory. */
  has(kind: Kind, caseId: string): boolean {
    return this.byKind[kind].has(caseId)
  }

  /**
   * load puts back a case from the store with the cards it already raised, and
   * returns the cards that came due meanwhile but were never raised (catch-up).
   */
  load(events: readonly TimedEvent[], fired: readonly FiredCard[], rx?: number): Fire[] {
    const out: Fire[] = []
    if (!events.length) return out
    const c = this.byKind[events[0]!.ev.kind].get(events[0]!.ev.caseId) ?? this.addCase(events[0]!)
    if (rx !== undefined && this.settleMs > 0) {
      // Reloaded at a restart just after its last event: the rest of what was sent with it
      // may still be on the bus, unapplied. It settles in bus time only (see advance()).
      c.quietRx = Math.max(c.quietRx, rx + this.settleMs)
      this.held.delete(c)
      this.held.add(c)
    }
    for (const f of fired) (c.fired ??= new Map()).set(`${f.rule}:${f.level}`, f.at)
    for (const te of events) {
      if (hasEvent(c, te.ev.source, te.ev.id)) continue
      addEvent(c, te)
      if (te.ev.kind === 'petition' && te.ev.type === 'registered') {
        for (const reg of this.petitioners.add(caseKey(c.kind, c.caseId), te)) {
          const other = this.byKind.petition.get(reg.event.ev.caseId)
          if (!other) continue
          other.repeat = this.petitioners.repeatOf(reg)
          // Another case loaded before this one may become a repeat only now: schedule it
          // too, or its card would wait for an event of its own that may never come.
          if (other !== c) this.settle(other, out)
        }
      }
    }
    this.derive(c, null)
    this.settle(c, out)
    return sortFires(out)
  }

  /** unfire forgets that a card fired, so that it fires again (its publication failed). */
  unfire(kind: Kind, caseId: string, rule: string, level: string): void {
    const c = this.byKind[kind].get(caseId)
    if (!c) return
    c.fired?.delete(`${rule}:${level}`)
    this.schedule(c, this.clock)
  }

  /** holds tells whether the engine holds an event (by source and id) of a case in memory. */
  holds(ev: { kind: Kind; caseId: string; source: string; id: string }): boolean {
    const c = this.byKind[ev.kind].get(ev.caseId)
    return c !== undefined && hasEvent(c, ev.source, ev.id)
  }

  /**
   * status reports whether a case still has a card to fire: one whose instant lies
   * ahead, or one due already but not fired (waiting out the settle delay, or whose
   * publication failed). nextDue is the earliest such instant. A store that keeps it
   * lets a restart reload exactly the cases with something pending.
   */
  status(kind: Kind, caseId: string): CaseStatus {
    const c = this.byKind[kind].get(caseId)
    if (!c) return { open: false, nextDue: null }
    const next = this.unfired(c)
    return { open: next !== null || this.held.has(c), nextDue: next }
  }

  /** setContext swaps the settings or calendar in force, for cards not yet fired. */
  setContext(ctx: RuleContext): void {
    this.ctx = ctx
    for (const m of Object.values(this.byKind)) {
      for (const c of m.values()) {
        this.derive(c, null)
        const next = this.pending(c)
        if (next !== null) this.schedule(c, next)
      }
    }
  }

  private addCase(te: TimedEvent): CaseState {
    const c = newCase(te)
    this.byKind[te.ev.kind].set(te.ev.caseId, c)
    return c
  }

  /**
   * derive brings a case's candidates up to date after an event of type `type` (null:
   * anything may have changed). The clock cards are derived again only when that
   * event is of a clock type or the settings changed; the marks always are.
   */
  private derive(c: CaseState, type: string | null): void {
    const rules = RULES_BY_KIND[c.kind]
    const ctx = this.ctxFor(c)
    if (type === null || rules.clockTypes.has(type) || c.clockCtx !== this.ctx || c.clockSettings !== ctx.settings) {
      c.clocks = this.collect(rules.clocks, c.events, ctx)
      c.clockCtx = this.ctx
      c.clockSettings = ctx.settings
    }
    c.marks = this.collect(rules.marks, c.events, ctx)
  }

  /**
   * collect runs one part of the rules and returns its cards in a list of their exact
   * size (most often the shared empty one): a case keeps its cards for days, and a
   * list grown by push would keep room for sixteen.
   */
  private collect(part: RulePart, events: readonly TimedEvent[], ctx: RuleContext): readonly Candidate[] {
    const out = this.scratch
    part(events, ctx, out)
    if (!out.length) return NO_CARDS
    const cards = out.slice()
    while (out.length) out.pop() // cheaper than setting the length
    return cards
  }

  /** schedule wakes a case at instant t, unless a timer of its own at t is already waiting. */
  private schedule(c: CaseState, t: number): void {
    if (c.timerAt === t) return
    c.timerAt = t
    this.timers.push(t, c)
  }

  /** prune forgets petition registrations too old to matter for any future repeat. */
  prune(): void {
    this.petitioners.prune(this.clock)
  }

  private refreshRepeat(reg: Registration, fires: Fire[]): void {
    const c = this.byKind.petition.get(reg.event.ev.caseId)
    if (!c) return
    c.repeat = this.petitioners.repeatOf(reg)
    this.settle(c, fires)
  }

  /** settling tells a case still waiting out its settle delay, in wall time and in bus time. */
  private settling(c: CaseState): boolean {
    return c.quietUntil > this.wall || c.quietRx >= this.horizon
  }

  /** settle corrects, fires and schedules one case's cards. */
  private settle(c: CaseState, fires: Fire[]): void {
    if (this.settling(c)) return // advance() settles it when the delay ends
    const settings = this.ctxFor(c).settings
    if (c.dirty && c.fired && !c.frozen) this.correct(c, settings, fires)
    c.dirty = false
    c.frozen = false
    let next: number | null = null
    for (let i = 0, n = slots(c); i < n; i++) {
      const cand = candidateAt(c, i)
      if (!cand) continue
      const level = levelOf(cand, settings)
      if (level === null) continue
      const id = cardId(cand.rule, level)
      if (c.fired?.has(id)) continue
      if (cand.at <= this.clock) {
        ;(c.fired ??= new Map()).set(id, cand.at)
        fires.push({ t: cand.at, alert: this.toAlert(c, cand, level, settings) })
      } else if (next === null || cand.at < next) next = cand.at
    }
    if (next !== null) this.schedule(c, next)
    else this.compact(c, settings)
  }

  /** correct withdraws fired cards that the case's events no longer support at their instant. */
  private correct(c: CaseState, settings: RuleSettings, fires: Fire[]): void {
    // forEach rather than for…of: no entry array per card on this path, taken on most events of a case that fired.
    c.fired!.forEach((at, id) => {
      const cand = candidateOf(c, id, settings)
      if (cand && cand.at === at) return
      if (id.startsWith('calendar.') || id.startsWith('inspection.') || id.startsWith('source.')) return
      c.fired!.delete(id)
      const [rule, level] = id.split(':') as [string, Level]
      const alert = this.toAlert(c, { rule, level, at, causes: [c.lastEventId] }, level, settings)
      fires.push({ t: at, alert, withdrawn: { by: c.lastEventId } })
    })
  }

  /** ctxFor gives a case the settings in force for its item and department (per-item overrides). */
  private ctxFor(c: CaseState): RuleContext {
    if (!this.ctx.settings.overrides.length) return this.ctx
    const settings = settingsFor(this.ctx.settings, { itemCode: itemCodeOf(c.events), dept: c.dept })
    return settings === this.ctx.settings ? this.ctx : { ...this.ctx, settings }
  }

  private pending(c: CaseState): number | null {
    const settings = this.ctxFor(c).settings
    let next: number | null = null
    for (let i = 0, n = slots(c); i < n; i++) {
      const cand = candidateAt(c, i)
      if (!cand || cand.at <= this.clock) continue
      const level = levelOf(cand, settings)
      if (level === null || c.fired?.has(cardId(cand.rule, level))) continue
      if (next === null || cand.at < next) next = cand.at
    }
    return next
  }

  /** unfired is the earliest instant of a card of the case not fired yet, whatever that instant, or null. */
  private unfired(c: CaseState): number | null {
    const settings = this.ctxFor(c).settings
    let next: number | null = null
    for (let i = 0, n = slots(c); i < n; i++) {
      const cand = candidateAt(c, i)
      if (!cand) continue
      const level = levelOf(cand, settings)
      if (level === null || c.fired?.has(cardId(cand.rule, level))) continue
      if (next === null || cand.at < next) next = cand.at
    }
    return next
  }

  /**
   * compact drops from a closed case the events no later rule reads, keeping the
   * structural ones and the causes of its cards, so closed cases cost little memory.
   */
  private compact(c: CaseState, settings: RuleSettings): void {
    if (c.compactedAt === c.events.length) return
    c.compactedAt = c.events.length
    if (!hasType(c.events, TERMINAL[c.kind])) return
    const keep = STRUCTURAL[c.kind]
    if (allOfTypes(c.events, keep)) return
    const causes = c.fired ? firedCauses(c, c.fired, settings) : []
    // A dropped event changed nothing; should it be delivered again it changes nothing again.
    const events = c.events
    let kept = 0
    for (const e of events) if (keep.includes(e.ev.type) || causes.includes(e.ev.id)) events[kept++] = e
    if (kept === events.length) return
    events.length = kept // in place: a case is compacted once, and a new array per case is garbage to collect
    if (c.ids && kept <= SCAN_LIMIT) c.ids = null
    c.compactedAt = kept
  }

  private toAlert(c: CaseState, cand: Candidate, level: Level, settings: RuleSettings): Alert {
    return {
      key: alertKey(cand.rule, level, c.kind, c.caseId),
      rule: cand.rule,
      level,
      kind: c.kind,
      caseId: c.caseId,
      dept: c.dept,
      at: this.ctx.zone.format(cand.at),
      causes: cand.causes,
      settingsVersion: settings.version,
    }
  }
}

/** levelOf is a candidate's level under the settings, or null when its rule is disabled. */
function levelOf(cand: Candidate, settings: RuleSettings): Level | null {
  const rule = settings.rules[cand.rule as RuleId]
  if (!rule) return cand.level
  return rule.enabled ? rule.level : null
}

function candidateOf(c: CaseState, id: string, settings: RuleSettings): Candidate | null {
  for (let i = 0, n = slots(c); i < n; i++) {
    const cand = candidateAt(c, i)
    const level = cand && levelOf(cand, settings)
    if (cand && level && cardId(cand.rule, level) === id) return cand
  }
  return null
}

/** slots is how many candidates candidateAt gives for a case. */
function slots(c: CaseState): number {
  return c.clocks.length + c.marks.length + 1
}

/** candidateAt gives a case's candidates in order, i < slots(c): its clock cards, its marks, then its repeat card or null. */
function candidateAt(c: CaseState, i: number): Candidate | null {
  if (i < c.clocks.length) return c.clocks[i]!
  const j = i - c.clocks.length
  return j < c.marks.length ? c.marks[j]! : c.repeat
}

const NO_CARDS: readonly Candidate[] = []

function newCase(te: TimedEvent): CaseState {
  const ev = te.ev
  return {
    kind: ev.kind, caseId: ev.caseId, dept: ev.dept, events: [], ids: null,
    clocks: NO_CARDS, marks: NO_CARDS, clockCtx: null, clockSettings: null, repeat: null, fired: null,
    quietUntil: -Infinity, quietRx: -Infinity, dirty: false, frozen: false, lastEventId: ev.id, compactedAt: 0, timerAt: NaN,
  }
}

const CARD_IDS = new Map<string, Record<Level, string>>()

/**
 * cardId is the id of a card, rule:level, under which a case remembers it fired. The
 * strings are made once per rule, so the hot path builds none and hashes none anew.
 */
function cardId(rule: string, level: Level): string {
  let ids = CARD_IDS.get(rule)
  if (!ids) CARD_IDS.set(rule, (ids = { yellow: `${rule}:yellow`, red: `${rule}:red` }))
  return ids[level]
}

/** firedCauses lists the causes of the clock cards and marks that fired: a case keeps those events to explain its cards. */
function firedCauses(c: CaseState, fired: ReadonlyMap<string, number>, settings: RuleSettings): string[] {
  const causes: string[] = []
  for (let i = 0, n = slots(c) - 1; i < n; i++) {
    const cand = candidateAt(c, i)!
    const level = levelOf(cand, settings)
    if (level !== null && fired.has(cardId(cand.rule, level))) causes.push(...cand.causes)
  }
  return causes
}

/** hasType tells whether any event is of one of `types`. */
function hasType(events: readonly TimedEvent[], types: readonly string[]): boolean {
  for (const e of events) if (types.includes(e.ev.type)) return true
  return false
}

/** allOfTypes tells whether every event is of one of `types`. */
function allOfTypes(events: readonly TimedEvent[], types: readonly string[]): boolean {
  for (const e of events) if (!types.includes(e.ev.type)) return false
  return true
}

function hasEvent(c: CaseState, source: string, id: string): boolean {
  if (c.ids) return c.ids.has(identity(source, id))
  for (const e of c.events) if (e.ev.id === id && e.ev.source === source) return true
  return false
}

/** identity is an event's source and id as one key; U+0000 occurs in neither (contract v1.1). */
function identity(source: string, id: string): string {
  return `${source}\u0000${id}`
}

/** addEvent keeps a case's events sorted by (at, arrival); the dept is the latest event's. */
function addEvent(c: CaseState, te: TimedEvent): void {
  const list = c.events
  let i = list.length
  while (i > 0 && (list[i - 1]!.t > te.t || (list[i - 1]!.t === te.t && list[i - 1]!.seq > te.seq))) i--
  if (i === list.length) list.push(te) // the usual case: no array of removed items to make
  else list.splice(i, 0, te)
  c.dept = list[list.length - 1]!.ev.dept
  if (c.ids) c.ids.add(identity(te.ev.source, te.ev.id))
  else if (list.length > SCAN_LIMIT) c.ids = new Set(list.map((e) => identity(e.ev.source, e.ev.id)))
}

/** sortFires orders cards the way replay prints them: at, rule, caseId. */
export function sortFires(fires: Fire[]): Fire[] {
  if (fires.length < 2) return fires
  return fires.sort((a, b) => a.t - b.t || cmp(a.alert.rule, b.alert.rule) || cmp(a.alert.caseId, b.alert.caseId))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

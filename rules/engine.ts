/**
 * RuleEngine is the pure core of the rules: it holds each case's events in event-time
 * order, derives the case's candidate cards with the rule functions, and fires a card
 * once the engine's clock reaches its instant. It does no I/O and reads no clock of
 * its own, so it runs identically live (wall clock), in replay (virtual clock) and in
 * marble tests.
 */
import { alertKey, type Alert } from '../common/contract/alert.ts'
import { caseKey, type Kind, type TimedEvent } from '../common/contract/event.ts'
import { approvalRules } from './approval.ts'
import type { Candidate, CaseRules, RuleContext } from './candidate.ts'
import { enforcementRules } from './enforcement.ts'
import { petitionRules } from './petition.ts'
import { PetitionerIndex, type Registration } from './repeat.ts'
import type { RuleId } from './settings.ts'
import { supervisionRules } from './supervision.ts'
import { TimerHeap } from './timerHeap.ts'

const RULES_BY_KIND: Record<Kind, CaseRules> = {
  approval: approvalRules,
  enforcement: enforcementRules,
  petition: petitionRules,
  supervision: supervisionRules,
}

/** Fire is one card the engine raised, with its instant as epoch ms for ordering. */
export interface Fire {
  alert: Alert
  t: number
}

/** CaseState is what the engine holds for one case. */
interface CaseState {
  key: string
  kind: Kind
  caseId: string
  dept: string
  events: TimedEvent[]
  ids: Set<string>
  candidates: Candidate[]
  repeat: Candidate | null
  fired: Set<string>
  /** wall time until which the case is settling: its cards wait (see EngineOptions.settleMs) */
  quietUntil: number
}

/** EngineOptions tune the live behaviour; replay and tests use the defaults. */
export interface EngineOptions {
  /**
   * After an event arrives, a case's cards wait this long (wall time) before firing,
   * so that events sent together (a backfill, a batch out of order) are all applied
   * first and no card fires that the next event would have prevented. 0 in replay.
   */
  settleMs?: number
}

/** CaseStatus tells a store whether a case still has deadlines ahead. */
export interface CaseStatus {
  open: boolean
  nextDue: number | null
}

export class RuleEngine {
  private readonly cases = new Map<string, CaseState>()
  private readonly timers = new TimerHeap()
  private readonly petitioners: PetitionerIndex
  private clock = -Infinity
  private wall = -Infinity
  private readonly held = new Set<string>()
  private readonly settleMs: number

  constructor(private ctx: RuleContext, opts: EngineOptions = {}) {
    this.settleMs = opts.settleMs ?? 0
    this.petitioners = new PetitionerIndex(
      () => this.ctx.settings.petition.repeatCount,
      () => this.ctx.settings.petition.repeatWindowDays,
    )
  }

  /** now is the engine's clock: the latest instant passed to advance(). */
  get now(): number {
    return this.clock
  }

  /** caseCount is the number of cases held in memory. */
  get caseCount(): number {
    return this.cases.size
  }

  /**
   * ingest adds one event to its case and returns the cards that are now due at the
   * engine's clock. A second event with the same id is ignored.
   */
  ingest(te: TimedEvent, wall?: number): Fire[] {
    if (wall !== undefined && wall > this.wall) this.wall = wall
    const ev = te.ev
    const key = caseKey(ev.kind, ev.caseId)
    let c = this.cases.get(key)
    if (!c) {
      c = { key, kind: ev.kind, caseId: ev.caseId, dept: ev.dept, events: [], ids: new Set(), candidates: [], repeat: null, fired: new Set(), quietUntil: -Infinity }
      this.cases.set(key, c)
    }
    if (c.ids.has(ev.id)) return []
    if (wall !== undefined && this.settleMs > 0) {
      c.quietUntil = wall + this.settleMs
      this.held.add(key)
    }
    c.ids.add(ev.id)
    insertInOrder(c.events, te)
    c.dept = c.events[c.events.length - 1]!.ev.dept
    c.candidates = RULES_BY_KIND[c.kind](c.events, this.ctx)
    const fires: Fire[] = []
    if (ev.kind === 'petition' && ev.type === 'registered') {
      for (const reg of this.petitioners.add(key, te)) this.refreshRepeat(reg, fires)
    }
    this.settle(c, fires)
    return sortFires(fires)
  }

  /** advance moves the clock to `now` and returns every card that came due, in order. */
  advance(now: number, wall?: number): Fire[] {
    if (now > this.clock) this.clock = now
    if (wall !== undefined && wall > this.wall) this.wall = wall
    const fires: Fire[] = []
    while (this.timers.peek() <= this.clock) {
      const c = this.cases.get(this.timers.pop()!)
      if (c) this.settle(c, fires)
    }
    for (const key of this.held) {
      const c = this.cases.get(key)
      if (c && c.quietUntil > this.wall) continue
      this.held.delete(key)
      if (c) this.settle(c, fires)
    }
    return sortFires(fires)
  }

  /** has tells whether a case is held in memory. */
  has(kind: Kind, caseId: string): boolean {
    return this.cases.has(caseKey(kind, caseId))
  }

  /**
   * load puts back a case from the store with the cards it already raised, and
   * returns the cards that came due meanwhile but were never raised (catch-up).
   */
  load(events: readonly TimedEvent[], fired: ReadonlyArray<{ rule: string; level: string }>): Fire[] {
    const out: Fire[] = []
    if (!events.length) return out
    const first = events[0]!.ev
    const key = caseKey(first.kind, first.caseId)
    if (!this.cases.has(key)) {
      this.cases.set(key, {
        key, kind: first.kind, caseId: first.caseId, dept: first.dept, events: [], ids: new Set(), candidates: [], repeat: null,
        fired: new Set(fired.map((f) => `${f.rule}:${f.level}`)), quietUntil: -Infinity,
      })
    }
    const c = this.cases.get(key)!
    for (const te of events) {
      if (c.ids.has(te.ev.id)) continue
      c.ids.add(te.ev.id)
      insertInOrder(c.events, te)
      if (te.ev.kind === 'petition' && te.ev.type === 'registered') {
        for (const reg of this.petitioners.add(key, te)) {
          const other = this.cases.get(reg.caseKey)
          if (other) other.repeat = this.petitioners.repeatOf(reg)
        }
      }
    }
    c.dept = c.events[c.events.length - 1]!.ev.dept
    c.candidates = RULES_BY_KIND[c.kind](c.events, this.ctx)
    this.settle(c, out)
    return sortFires(out)
  }

  /** unfire forgets that a card fired, so that it fires again (its publication failed). */
  unfire(kind: Kind, caseId: string, rule: string, level: string): void {
    const c = this.cases.get(caseKey(kind, caseId))
    if (!c) return
    c.fired.delete(`${rule}:${level}`)
    this.timers.push(this.clock, c.key)
  }

  /** markFired tells the engine a card was raised before (e.g. before a restart). */
  markFired(kind: Kind, caseId: string, rule: string, level: string): void {
    const c = this.cases.get(caseKey(kind, caseId))
    if (c) c.fired.add(`${rule}:${level}`)
  }

  /** status reports whether a case still has cards that may fire later. */
  status(kind: Kind, caseId: string): CaseStatus {
    const c = this.cases.get(caseKey(kind, caseId))
    if (!c) return { open: false, nextDue: null }
    const next = this.nextPending(c)
    return { open: next !== null, nextDue: next }
  }

  /** setContext swaps the settings or calendar in force, for cards not yet fired. */
  setContext(ctx: RuleContext): void {
    this.ctx = ctx
    for (const c of this.cases.values()) {
      c.candidates = RULES_BY_KIND[c.kind](c.events, ctx)
      const next = this.nextPending(c)
      if (next !== null) this.timers.push(next, c.key)
    }
  }

  private refreshRepeat(reg: Registration, fires: Fire[]): void {
    const c = this.cases.get(reg.caseKey)
    if (!c) return
    c.repeat = this.petitioners.repeatOf(reg)
    this.settle(c, fires)
  }

  /** settle fires a case's due cards and schedules its next one. */
  private settle(c: CaseState, fires: Fire[]): void {
    const settling = c.quietUntil > this.wall
    for (const cand of this.allCandidates(c)) {
      if (settling) break
      const rule = this.ctx.settings.rules[cand.rule as RuleId]
      if (rule && !rule.enabled) continue
      const level = rule?.level ?? cand.level
      const id = `${cand.rule}:${level}`
      if (cand.at > this.clock || c.fired.has(id)) continue
      c.fired.add(id)
      fires.push({ t: cand.at, alert: this.toAlert(c, cand, level) })
    }
    const next = this.nextPending(c)
    if (next !== null) this.timers.push(next, c.key)
  }

  private nextPending(c: CaseState): number | null {
    let next: number | null = null
    for (const cand of this.allCandidates(c)) {
      const rule = this.ctx.settings.rules[cand.rule as RuleId]
      if (rule && !rule.enabled) continue
      if (c.fired.has(`${cand.rule}:${rule?.level ?? cand.level}`)) continue
      if (cand.at > this.clock && (next === null || cand.at < next)) next = cand.at
    }
    return next
  }

  private allCandidates(c: CaseState): Candidate[] {
    return c.repeat ? [...c.candidates, c.repeat] : c.candidates
  }

  private toAlert(c: CaseState, cand: Candidate, level: Alert['level']): Alert {
    return {
      key: alertKey(cand.rule, level, c.kind, c.caseId),
      rule: cand.rule,
      level,
      kind: c.kind,
      caseId: c.caseId,
      dept: c.dept,
      at: this.ctx.zone.format(cand.at),
      causes: cand.causes,
      settingsVersion: this.ctx.settings.version,
    }
  }
}

/** insertInOrder keeps a case's events sorted by (at, arrival). */
function insertInOrder(list: TimedEvent[], te: TimedEvent): void {
  let i = list.length
  while (i > 0 && (list[i - 1]!.t > te.t || (list[i - 1]!.t === te.t && list[i - 1]!.seq > te.seq))) i--
  list.splice(i, 0, te)
}

/** sortFires orders cards the way replay prints them: at, rule, caseId. */
export function sortFires(fires: Fire[]): Fire[] {
  return fires.sort((a, b) => a.t - b.t || cmp(a.alert.rule, b.alert.rule) || cmp(a.alert.caseId, b.alert.caseId))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * SourceWatch raises `source.silent` (数据中断): a source that has sent events before
 * sends nothing for N office hours. Arrival time counts here, not event time: the
 * question is whether the feed is alive. Each silence raises one card; the card's
 * identity includes when the silence began, so a later outage raises another.
 */
import { alertKey, type Alert, type Level } from '../common/contract/index.ts'
import type { ClockDeps } from './deadline.ts'
import { afterWorkingHours, type Zone } from '../common/time/index.ts'

export const SILENT_RULE = 'source.silent'

interface Watched {
  lastSeen: number
  dept: string
  silentAt: number
  raised: boolean
}

/** SourceWatch tracks when each source was last heard from. */
export class SourceWatch {
  private readonly sources = new Map<string, Watched>()

  constructor(private readonly hours: number, private readonly deps: ClockDeps & { zone: Zone }, private readonly level: Level = 'yellow') {}

  /** seen records that a source sent an event at platform time `now`. */
  seen(source: string, dept: string, now: number): void {
    const w = this.sources.get(source)
    if (w && w.lastSeen >= now) return
    // A new silence can only start after the last event; computing it lazily keeps events cheap.
    this.sources.set(source, { lastSeen: now, dept, silentAt: NaN, raised: false })
  }

  /** due returns the cards of sources that have gone silent by `now`, each once. */
  due(now: number, settingsVersion: string): Alert[] {
    const out: Alert[] = []
    for (const [source, w] of this.sources) {
      if (w.raised) continue
      if (Number.isNaN(w.silentAt)) w.silentAt = afterWorkingHours(w.lastSeen, this.hours, this.deps)
      if (w.silentAt > now) continue
      w.raised = true
      out.push(this.card(source, w, settingsVersion))
    }
    return out
  }

  private card(source: string, w: Watched, settingsVersion: string): Alert {
    const caseId = `${source}@${this.deps.zone.format(w.lastSeen)}`
    return {
      key: alertKey(SILENT_RULE, this.level, null, caseId),
      rule: SILENT_RULE,
      level: this.level,
      kind: null,
      caseId,
      dept: w.dept,
      at: this.deps.zone.format(w.silentAt),
      causes: [],
      settingsVersion,
    }
  }
}

/**
 * petition.repeat (重复信访) looks across cases: a registration such that, counting
 * itself, at least `repeatCount` petitions by the same petitioner were registered in
 * the `repeatWindowDays` × 24 h ending at its `at` (window closed at both ends).
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { str } from './attrs.ts'
import { before, type Candidate } from './candidate.ts'
import { DAY_MS } from '../common/time/index.ts'

/** Registration is one `registered` petition event, with the case it opened. */
export interface Registration {
  caseKey: string
  event: TimedEvent
}

/** PetitionerIndex keeps each petitioner's recent registrations in event-time order. */
export class PetitionerIndex {
  private readonly byPetitioner = new Map<string, Registration[]>()

  constructor(private readonly count: () => number, private readonly windowDays: () => number) {}

  /**
   * add records a registration and returns every registration whose repeat status it
   * may change (itself and the later ones inside its window), in order.
   */
  add(caseKey: string, event: TimedEvent): Registration[] {
    const pid = str(event.ev, 'petitionerId')
    if (!pid) return []
    let list = this.byPetitioner.get(pid)
    if (!list) this.byPetitioner.set(pid, (list = []))
    let i = list.length
    while (i > 0 && before(event, list[i - 1]!.event)) i--
    list.splice(i, 0, { caseKey, event })
    const end = event.t + this.windowDays() * DAY_MS
    const affected: Registration[] = []
    for (let j = i; j < list.length && list[j]!.event.t <= end; j++) affected.push(list[j]!)
    return affected
  }

  /** repeatOf returns the repeat card of a registration, or null when it is not a repeat. */
  repeatOf(reg: Registration): Candidate | null {
    const pid = str(reg.event.ev, 'petitionerId')
    const list = pid ? this.byPetitioner.get(pid) : undefined
    if (!list) return null
    const start = reg.event.t - this.windowDays() * DAY_MS
    const inWindow: string[] = []
    for (const r of list) {
      if (r.event.t < start) continue
      if (before(reg.event, r.event)) break
      inWindow.push(r.event.ev.id)
    }
    if (inWindow.length < this.count()) return null
    return { rule: 'petition.repeat', level: 'yellow', at: reg.event.t, causes: inWindow }
  }

  /** prune forgets registrations that can no longer fall inside any future window. */
  prune(olderThan: number): void {
    const cut = olderThan - this.windowDays() * DAY_MS
    for (const [pid, list] of this.byPetitioner) {
      let k = 0
      while (k < list.length && list[k]!.event.t < cut) k++
      if (k === list.length) this.byPetitioner.delete(pid)
      else if (k > 0) list.splice(0, k)
    }
  }

  /** size counts the registrations held. */
  size(): number {
    let n = 0
    for (const list of this.byPetitioner.values()) n += list.length
    return n
  }
}

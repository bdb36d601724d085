/**
 * Parking holds notices until an instant: yellows kept for the end of quiet hours,
 * and notices whose enqueueing failed, to be tried again. It is bounded, so that a
 * storm of cards in the night cannot grow memory without end, and it knows the keys
 * it holds, so that dedup can tell a card on its way from a new one.
 */
import { notifyKeys } from './dedup.ts'
import type { Notice } from './stage.ts'

interface Held {
  notice: Notice
  until: number
}

/** DEFAULT_MAX_PARKED is how many notices Parking holds at most. */
export const DEFAULT_MAX_PARKED = 50_000

/** Parking holds notices until their instant, at most `max` of them. */
export class Parking {
  private held: Held[] = []
  private readonly keyCount = new Map<string, number>()
  private earliest = Infinity

  constructor(readonly max: number = DEFAULT_MAX_PARKED) {}

  /** size is how many notices are held. */
  get size(): number {
    return this.held.length
  }

  /** park holds a notice until an instant; false (and nothing held) when full. */
  park(notice: Notice, until: number): boolean {
    if (this.held.length >= this.max) return false
    this.held.push({ notice, until })
    this.earliest = Math.min(this.earliest, until)
    this.count(notice, 1)
    return true
  }

  /** due removes and returns the notices whose instant has come, in the order they were parked. */
  due(now: number): Notice[] {
    if (now < this.earliest) return []
    const out: Notice[] = []
    const rest: Held[] = []
    for (const h of this.held) {
      if (h.until <= now) out.push(h.notice)
      else rest.push(h)
    }
    this.replace(rest, out)
    return out
  }

  /** remove drops every held notice of an alert (a withdrawn card) and returns them. */
  remove(alertKey: string): Notice[] {
    const out: Notice[] = []
    const rest: Held[] = []
    for (const h of this.held) {
      if (h.notice.alert.key === alertKey) out.push(h.notice)
      else rest.push(h)
    }
    if (out.length > 0) this.replace(rest, out)
    return out
  }

  /** holds tells whether a notify key (alert key or thread level key) belongs to a held notice. */
  holds(key: string): boolean {
    return this.keyCount.has(key)
  }

  /** nextDue is the earliest instant a held notice is due, or undefined when none is held. */
  nextDue(): number | undefined {
    return this.held.length > 0 ? this.earliest : undefined
  }

  private replace(rest: Held[], gone: readonly Notice[]): void {
    this.held = rest
    for (const n of gone) this.count(n, -1)
    let earliest = Infinity
    for (const h of rest) if (h.until < earliest) earliest = h.until
    this.earliest = earliest
  }

  private count(n: Notice, by: 1 | -1): void {
    for (const k of notifyKeys(n)) {
      const c = (this.keyCount.get(k) ?? 0) + by
      if (c > 0) this.keyCount.set(k, c)
      else this.keyCount.delete(k)
    }
  }
}

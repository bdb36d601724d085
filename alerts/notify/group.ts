/**
 * Grouping, in the spirit of Alertmanager's group_wait and group_interval: the
 * notices for one department and one recipient that arrive within `groupWaitMs` go
 * out as one SMS, and after a message a group waits `groupIntervalMs` before the
 * next, so a burst of yellow cards is one text rather than twenty. A red notice
 * skips both waits: it goes at once, alone or with whatever its group holds. A
 * notice that already waited (the morning after quiet hours) skips the group wait.
 * The Grouper is pure and bounded: over capacity, the oldest group goes out early.
 */
import { createHash } from 'node:crypto'
import { notifyKeys } from './dedup.ts'
import { decide, type Notice, type Recipient, type Stage } from './stage.ts'

/** GroupSettings are the waits, in ms, and the most notices held at once. */
export interface GroupSettings {
  groupWaitMs: number
  groupIntervalMs: number
  maxNotices: number
}

/** DEFAULT_GROUP_SETTINGS: wait 60 s to collect a group, 5 min between messages of a group, 10 000 notices held. */
export const DEFAULT_GROUP_SETTINGS: GroupSettings = { groupWaitMs: 60_000, groupIntervalMs: 300_000, maxNotices: 10_000 }

/** Digest is one message's worth of notices for one recipient of one department. */
export interface Digest {
  id: string
  groupKey: string
  dept: string
  recipient: Recipient
  notices: readonly Notice[]
}

interface Group {
  key: string
  dept: string
  recipient: Recipient
  pending: Notice[]
  openedAt: number
  dueAt: number
  lastFlushAt: number | null
}

/** groupKeyOf is the group of a routed notice: its department and its recipient's phone. */
export function groupKeyOf(n: Notice): string {
  return `${n.alert.dept}|${n.recipient?.phone ?? ''}`
}

/** digestId names a digest by its recipient and content, so the same digest enqueued again has the same ref. */
export function digestId(dept: string, recipient: Recipient, notices: readonly Notice[]): string {
  const h = createHash('sha256').update(recipient.phone)
  for (const k of notices.map((n) => n.alert.key).sort()) h.update(`\n${k}`)
  return `digest:${dept}:${h.digest('hex').slice(0, 16)}`
}

/** Grouper keeps the pending groups, keyed by department and recipient; it reads no clock. */
export class Grouper {
  private readonly groups = new Map<string, Group>()
  private readonly keyCount = new Map<string, number>()
  private pendingCount = 0

  constructor(readonly settings: GroupSettings = DEFAULT_GROUP_SETTINGS) {}

  /** size is how many notices wait in groups. */
  get size(): number {
    return this.pendingCount
  }

  /**
   * add puts a routed notice in its group and returns the notices it replaced: a red
   * notice replaces the pending yellow of its thread, which it says more urgently.
   */
  add(n: Notice, now: number): Notice[] {
    if (!n.recipient) throw new Error('group: a notice without a recipient cannot be grouped')
    const g = this.groupOf(n, now)
    const replaced = n.alert.level === 'red' && n.thread ? this.take(g, (p) => p.thread === n.thread && p.alert.level === 'yellow') : []
    if (g.pending.length === 0) {
      g.openedAt = now
      g.dueAt = Infinity
    }
    g.pending.push(n)
    this.count(n, 1)
    g.dueAt = Math.min(g.dueAt, this.dueFor(n, g, now))
    if (this.pendingCount > this.settings.maxNotices) {
      const old = this.oldestWaiting(now)
      if (old) old.dueAt = now
    }
    return replaced
  }

  /** requeue puts back notices that could not be enqueued, to go out again at `at` (or with their group, if sooner). */
  requeue(n: Notice, at: number): void {
    const g = this.groupOf(n, at)
    if (g.pending.length === 0) g.openedAt = at
    g.dueAt = g.pending.length === 0 ? at : Math.min(g.dueAt, at)
    g.pending.push(n)
    this.count(n, 1)
  }

  /** due removes and returns the groups whose time has come, one digest each; it forgets groups long quiet. */
  due(now: number): Digest[] {
    const out: Digest[] = []
    for (const g of this.groups.values()) {
      if (g.pending.length > 0 && g.dueAt <= now) {
        const notices = this.take(g, () => true)
        out.push({ id: digestId(g.dept, g.recipient, notices), groupKey: g.key, dept: g.dept, recipient: g.recipient, notices })
        g.lastFlushAt = now
      } else if (g.pending.length === 0 && (g.lastFlushAt ?? -Infinity) + this.settings.groupIntervalMs <= now) {
        this.groups.delete(g.key)
      }
    }
    return out
  }

  /** remove drops every pending notice of an alert (a withdrawn card) and returns them. */
  remove(alertKey: string): Notice[] {
    return [...this.groups.values()].flatMap((g) => this.take(g, (p) => p.alert.key === alertKey))
  }

  /** holds tells whether a notify key belongs to a pending notice. */
  holds(key: string): boolean {
    return this.keyCount.has(key)
  }

  /** nextDue is the earliest instant a group is due, or undefined when none waits. */
  nextDue(): number | undefined {
    let next = Infinity
    for (const g of this.groups.values()) if (g.pending.length > 0) next = Math.min(next, g.dueAt)
    return next === Infinity ? undefined : next
  }

  private dueFor(n: Notice, g: Group, now: number): number {
    if (n.alert.level === 'red') return now
    const interval = g.lastFlushAt === null ? -Infinity : g.lastFlushAt + this.settings.groupIntervalMs
    const wait = n.deferUntil !== undefined ? now : now + this.settings.groupWaitMs
    return Math.max(wait, interval)
  }

  private groupOf(n: Notice, now: number): Group {
    const key = groupKeyOf(n)
    let g = this.groups.get(key)
    if (!g) {
      g = { key, dept: n.alert.dept, recipient: n.recipient!, pending: [], openedAt: now, dueAt: Infinity, lastFlushAt: null }
      this.groups.set(key, g)
    }
    return g
  }

  private oldestWaiting(now: number): Group | undefined {
    let best: Group | undefined
    for (const g of this.groups.values()) if (g.pending.length > 0 && g.dueAt > now && (!best || g.openedAt < best.openedAt)) best = g
    return best
  }

  private take(g: Group, pick: (n: Notice) => boolean): Notice[] {
    const taken = g.pending.filter(pick)
    if (taken.length === 0) return taken
    g.pending = g.pending.filter((n) => !pick(n))
    for (const n of taken) this.count(n, -1)
    return taken
  }

  private count(n: Notice, by: 1 | -1): void {
    this.pendingCount += by
    for (const k of notifyKeys(n)) {
      const c = (this.keyCount.get(k) ?? 0) + by
      if (c > 0) this.keyCount.set(k, c)
      else this.keyCount.delete(k)
    }
  }
}

/**
 * groupStage puts routed notices in their groups and lets out the digests that are
 * due, each notice marked with its group and digest. Notices without a recipient
 * (no_contact) pass through untouched, so the dispatcher can report them.
 */
export function groupStage(grouper: Grouper): Stage {
  return {
    name: 'group',
    async exec(ctx, items) {
      const unrouted: Notice[] = []
      for (const n of items) {
        if (!n.recipient) unrouted.push(n)
        else for (const old of grouper.add(n, ctx.now)) decide(ctx, 'group', old, 'drop', 'superseded', { role: old.recipient?.role })
      }
      const released = grouper.due(ctx.now).flatMap((d) => d.notices.map((n) => ({ ...n, groupKey: d.groupKey, digestId: d.id })))
      return [...unrouted, ...released]
    },
  }
}

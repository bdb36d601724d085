/**
 * Dedup: a card is texted once. What "already notified" means is asked of an injected
 * collaborator (the notify_sent table, plus whatever the dispatcher still holds), by
 * key: the card's own key and the keys of its thread at each level, so that a red
 * card on a case whose yellow card was already texted goes out as an upgrade, and a
 * yellow card that arrives after its thread's red one adds nothing.
 */
import type { Alert, Level } from '../../common/contract/index.ts'
import { decide, type Notice, type Stage } from './stage.ts'

/** NotifiedKeys answers which of the keys were already notified (or are on their way). */
export type NotifiedKeys = (keys: readonly string[]) => Promise<ReadonlySet<string>>

/** FamilyOf names the rule family of a rule: approval.due_soon and approval.overdue share one. */
export type FamilyOf = (rule: string) => string

/** threadOf names the (rule family, case) a card belongs to. */
export function threadOf(a: Alert, familyOf: FamilyOf): string {
  return `${familyOf(a.rule)}:${a.kind ?? '-'}:${a.caseId}`
}

/** levelKey is the key that says a thread was notified at a level. */
export function levelKey(thread: string, level: Level): string {
  return `thread:${thread}:${level}`
}

/** notifyKeys lists the keys a notice marks as notified once it is enqueued. */
export function notifyKeys(n: Notice): string[] {
  return n.thread ? [n.alert.key, levelKey(n.thread, n.alert.level)] : [n.alert.key]
}

type Verdict = 'duplicate' | 'superseded' | 'upgrade' | 'new'

function judge(n: Notice & { thread: string }, seen: ReadonlySet<string>): Verdict {
  if (seen.has(n.alert.key)) return 'duplicate'
  if (n.alert.level === 'yellow' && seen.has(levelKey(n.thread, 'red'))) return 'superseded'
  if (n.alert.level === 'red' && seen.has(levelKey(n.thread, 'yellow'))) return 'upgrade'
  return 'new'
}

/** dedupStage drops notices already notified and marks red upgrades; the same card twice in one batch goes once. */
export function dedupStage(notified: NotifiedKeys, familyOf: FamilyOf = (rule) => rule): Stage {
  return {
    name: 'dedup',
    async exec(ctx, items) {
      if (items.length === 0) return items
      const threaded = items.map((n) => ({ ...n, thread: threadOf(n.alert, familyOf) }))
      const asked = new Set(threaded.flatMap((n) => [n.alert.key, levelKey(n.thread, 'yellow'), levelKey(n.thread, 'red')]))
      const seen = new Set(await notified([...asked]))
      const out: Notice[] = []
      for (const n of threaded) {
        const verdict = judge(n, seen)
        if (verdict === 'duplicate' || verdict === 'superseded') {
          decide(ctx, 'dedup', n, 'drop', verdict)
          continue
        }
        if (verdict === 'upgrade') decide(ctx, 'dedup', n, 'keep', 'upgrade')
        for (const k of notifyKeys(n)) seen.add(k)
        out.push(verdict === 'upgrade' ? { ...n, upgrade: true } : n)
      }
      return out
    },
  }
}

/**
 * Silences: an inspector mutes a rule, a department or one rule in one department
 * for a window [startsAt, endsAt), with a reason (a known outage, a data-entry
 * campaign). A muted notice is dropped with the silence's id recorded, so the
 * inspectors' view can say which silence kept a card off the phones.
 */
import type { Alert } from '../../common/contract/index.ts'
import { decide, type Stage } from './stage.ts'

/** Silence is one stored silence; instants are epoch ms. At least one of rule and dept is set. */
export interface Silence {
  id: string
  rule: string | null
  dept: string | null
  startsAt: number
  endsAt: number
  reason: string
  createdBy: string
  createdAt: number
}

/** ActiveSilences returns the silences in force at an instant (silenceStore.activeSilences, bound to a db). */
export type ActiveSilences = (now: number) => Promise<readonly Silence[]>

/** silenceMutes tells whether a silence mutes an alert at instant now: every matcher it sets must match. */
export function silenceMutes(s: Silence, alert: Alert, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false
  if (s.rule === null && s.dept === null) return false
  return (s.rule === null || s.rule === alert.rule) && (s.dept === null || s.dept === alert.dept)
}

/** silencedBy returns the first silence that mutes the alert at now, if any. */
export function silencedBy(silences: readonly Silence[], alert: Alert, now: number): Silence | undefined {
  return silences.find((s) => silenceMutes(s, alert, now))
}

/** silenceStage drops the notices a silence in force mutes. */
export function silenceStage(active: ActiveSilences): Stage {
  return {
    name: 'silences',
    async exec(ctx, items) {
      if (items.length === 0) return items
      const silences = await active(ctx.now)
      return items.filter((n) => {
        const s = silencedBy(silences, n.alert, ctx.now)
        if (s) decide(ctx, 'silences', n, 'drop', 'silenced', { silenceId: s.id })
        return !s
      })
    },
  }
}

/**
 * boundSnapshot enforces the snapshot's promises at the edge — newest first, at most
 * 200 cards and 50 text messages, and nothing outside the reader's scope — so a
 * source that forgets one cannot make browsers load an unbounded list or show a
 * department another department's cards.
 */
import { mayReadSms } from './smsView.ts'
import { MAX_SNAPSHOT_ALERTS, MAX_SNAPSHOT_DAILY, MAX_SNAPSHOT_SMS, RATE_MINUTES, type AlertView, type WallScope, type WallSnapshot } from '../../common/contract/index.ts'

/** byNewest orders cards by when they were raised, newest first (a card raised now for an older event leads); ties keep their order. */
export function byNewest(a: AlertView, b: AlertView): number {
  return Date.parse(b.raisedAt) - Date.parse(a.raisedAt)
}

/** boundSnapshot returns the snapshot cut to scope, alerts sorted newest first and capped, messages capped. */
export function boundSnapshot(s: WallSnapshot, scope: WallScope, max = MAX_SNAPSHOT_ALERTS, maxSms = MAX_SNAPSHOT_SMS): WallSnapshot {
  const mine = (dept: string) => 'all' in scope || dept === scope.dept
  const alerts = s.alerts.filter((a) => mine(a.dept)).sort(byNewest).slice(0, max)
  const sms = s.sms.filter((m) => mayReadSms(scope, m)).slice(0, maxSms)
  const daily = s.daily?.filter((d) => mine(d.dept)).slice(-MAX_SNAPSHOT_DAILY)
  const rate = s.rate?.slice(-RATE_MINUTES)
  const figures = { ...(daily ? { daily } : {}), ...(rate ? { rate } : {}) }
  if ('all' in scope) return { ...s, alerts, sms, ...figures, scope }
  const byDept = s.byDept.filter((d) => mine(d.dept))
  const counts = { yellow: 0, red: 0 }
  for (const d of byDept) {
    counts.yellow += d.yellow
    counts.red += d.red
  }
  return { ...s, alerts, sms, byDept, counts, ...figures, scope }
}

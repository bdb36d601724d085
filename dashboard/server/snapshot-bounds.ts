/**
 * boundSnapshot enforces the snapshot's promises (newest first, at most 200 cards)
 * at the edge, so a source that forgets them cannot make browsers load an unbounded list.
 */
import { MAX_SNAPSHOT_ALERTS, type AlertView, type WallSnapshot } from './wall-contract.ts'

/** byNewest orders cards by `at`, newest first; ties keep their order. */
export function byNewest(a: AlertView, b: AlertView): number {
  return Date.parse(b.at) - Date.parse(a.at)
}

/** boundSnapshot returns the snapshot with its alerts sorted newest first and capped. */
export function boundSnapshot(s: WallSnapshot, max = MAX_SNAPSHOT_ALERTS): WallSnapshot {
  const alerts = [...s.alerts].sort(byNewest).slice(0, max)
  return { ...s, alerts }
}

/**
 * Freshness: whether the wall may be trusted as current. It is not when the live
 * connection is down (lost) or when nothing has arrived for longer than the stale
 * limit (stale: the feeds upstream may have stopped while the socket stays up).
 */
import type { ConnectionStatus } from './wallSync.ts'

/** Freshness is what the banner says: nothing (live), connection lost, or data stale. */
export type Freshness = 'live' | 'lost' | 'stale'

/** DEFAULT_STALE_MINUTES: a wall with no event for this long says so (?stale=N changes it). */
export const DEFAULT_STALE_MINUTES = 10

/** freshness judges the wall at `now` (epoch ms); lastEventAt is when the last event arrived. */
export function freshness(status: ConnectionStatus, lastEventAt: number | null, now: number, staleMs: number): Freshness {
  if (status === 'reconnecting') return 'lost'
  if (status === 'connecting' || lastEventAt === null) return 'live'
  return now - lastEventAt > staleMs ? 'stale' : 'live'
}

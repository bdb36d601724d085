/**
 * Rank sync: keeps the wall's ranking board in step with the figures. The server says
 * only which periods changed (Socket.IO `kpi`, KpiChanged); the board reads its period's
 * ranking again when an announcement names it, on every (re)connect (announcements are
 * not kept for a wall that was away) and when the platform clock enters a new month.
 * One read at a time: changes that come while one is under way make one more read after
 * it, never a queue. A failed read keeps the figures on screen and is tried again at
 * the next announcement or reconnect.
 */
import type { KpiChanged, KpiRanking } from '../../../common/contract/api.ts'
import { concerns } from './rankBoard.ts'

/** RankSocket is the part of a socket.io-client Socket the sync uses (a fake in tests). */
export interface RankSocket {
  on(event: 'connect', fn: () => void): unknown
  on(event: 'kpi', fn: (change: KpiChanged) => void): unknown
}

/** RankStatus is how far the board is: no period yet, reading, showing figures, unable to read any, or no kpi component on the platform (a 503). */
export type RankStatus = 'idle' | 'loading' | 'ready' | 'unavailable' | 'not_running'

/** RankState is what the board shows. */
export interface RankState {
  period: string | null
  ranking: KpiRanking | null
  status: RankStatus
}

/** RankSyncOptions wire the sync. */
export interface RankSyncOptions {
  socket: RankSocket
  load: (period: string) => Promise<KpiRanking>
  onChange: (state: RankState) => void
}

/** RankSync is a running sync. */
export interface RankSync {
  /** setPeriod names the period to show (the platform clock's month); a new one is read at once */
  setPeriod(period: string | null): void
  state(): RankState
  stop(): void
}

/** startRankSync starts listening; nothing is read until a period is set. */
export function startRankSync(opts: RankSyncOptions): RankSync {
  let state: RankState = { period: null, ranking: null, status: 'idle' }
  let busy = false
  let again = false
  let stopped = false

  const publish = () => {
    if (!stopped) opts.onChange(state)
  }
  const read = () => {
    const period = state.period
    if (period === null || stopped) return
    if (busy) {
      again = true
      return
    }
    busy = true
    opts.load(period).then(
      (ranking) => {
        if (state.period === period && ranking.period === period) state = { period, ranking, status: 'ready' }
      },
      (e: unknown) => {
        const notRunning = (e as { status?: unknown } | null)?.status === 503
        if (state.period === period && !state.ranking) state = { ...state, status: notRunning ? 'not_running' : 'unavailable' }
      },
    ).finally(() => {
      busy = false
      publish()
      if (again) {
        again = false
        read()
      }
    })
  }

  opts.socket.on('connect', read)
  opts.socket.on('kpi', (change) => {
    if (concerns(change, state.period)) read()
  })

  return {
    setPeriod(period) {
      if (period === state.period) return
      state = { period, ranking: null, status: period === null ? 'idle' : 'loading' }
      publish()
      read()
    },
    state: () => state,
    stop() {
      stopped = true
    },
  }
}

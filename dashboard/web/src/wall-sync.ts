/**
 * Wall sync: keeps a WallState in step with the server. Socket.IO brings live cards
 * and clock ticks; every (re)connect reloads the whole wall from GET /api/v1/wall,
 * because cards stored while the wall was away are never pushed again.
 *
 * Cards that arrive while that reload is in flight are held back and applied on top
 * of the snapshot, skipping the ones it already holds (dedupe by key).
 */
import type { AlertView, WallSnapshot } from '../../server/wall-contract.ts'
import { emptyWall, fromSnapshot, withCard, withClock, type WallState } from './wall-state.ts'

/** LiveSocket is the part of a socket.io-client Socket the sync uses (a fake in tests). */
export interface LiveSocket {
  on(event: 'connect', fn: () => void): unknown
  on(event: 'disconnect', fn: (reason: string) => void): unknown
  on(event: 'alert', fn: (card: AlertView) => void): unknown
  on(event: 'clock', fn: (tick: { now: string }) => void): unknown
  on(event: 'resync', fn: () => void): unknown
  connect(): unknown
  disconnect(): unknown
}

/** ConnectionStatus drives the status indicator. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting'

/** WallSyncOptions wires the sync to its collaborators. */
export interface WallSyncOptions {
  socket: LiveSocket
  loadSnapshot: () => Promise<WallSnapshot>
  onChange: (state: WallState, status: ConnectionStatus) => void
  /** Wait before retrying a failed snapshot load, or reconnecting after the server dropped us. */
  retryMs?: number
  /** Cap on cards held during a reload; beyond it the oldest held card is dropped. */
  maxHeld?: number
}

/** WallSync is a running sync. */
export interface WallSync {
  state(): WallState
  status(): ConnectionStatus
  stop(): void
}

/** startWallSync starts listening; the socket may already be connecting. */
export function startWallSync(opts: WallSyncOptions): WallSync {
  const retryMs = opts.retryMs ?? 2000
  const maxHeld = opts.maxHeld ?? 500
  let state = emptyWall()
  let status: ConnectionStatus = 'connecting'
  let held: AlertView[] | null = null // non-null while a reload is in flight
  let generation = 0 // a newer (re)connect makes older reloads stale
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const publish = () => {
    if (!stopped) opts.onChange(state, status)
  }

  const later = (fn: () => void) => {
    clearTimeout(timer)
    timer = setTimeout(fn, retryMs)
  }

  const reload = (gen: number) => {
    held ??= []
    opts.loadSnapshot().then(
      (snapshot) => {
        if (gen !== generation || stopped) return
        state = fromSnapshot(snapshot)
        for (const card of held ?? []) state = withCard(state, card)
        held = null
        publish()
      },
      () => {
        if (gen === generation && !stopped && status === 'connected') later(() => reload(gen))
      },
    )
  }

  opts.socket.on('connect', () => {
    status = 'connected'
    generation++
    held = null
    publish()
    reload(generation)
  })
  opts.socket.on('disconnect', (reason) => {
    status = 'reconnecting'
    generation++
    publish()
    // Socket.IO retries by itself except when the server sent us away; then we must.
    if (reason === 'io server disconnect') later(() => opts.socket.connect())
  })
  opts.socket.on('alert', (card) => {
    if (held) {
      held.push(card)
      if (held.length > maxHeld) held.shift()
      return
    }
    state = withCard(state, card)
    publish()
  })
  // A card changed after it was shown (withdrawn by a correction): reload the whole wall.
  opts.socket.on('resync', () => {
    if (status !== 'connected') return
    generation++
    held = null
    reload(generation)
  })
  opts.socket.on('clock', (tick) => {
    state = withClock(state, tick.now)
    publish()
  })

  return {
    state: () => state,
    status: () => status,
    stop: () => {
      stopped = true
      clearTimeout(timer)
      opts.socket.disconnect()
    },
  }
}

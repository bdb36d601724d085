/**
 * Wall sync: keeps a WallState in step with the server. Socket.IO brings live cards,
 * text-message updates and clock ticks; every (re)connect reloads the whole wall from
 * GET /api/v1/wall, because what was stored while the wall was away is never pushed
 * again.
 *
 * Cards and messages that arrive while that reload is in flight are held back and
 * applied on top of the snapshot, skipping cards it already holds (dedupe by key) and
 * message updates it has already seen (by id and status).
 *
 * The wall needs a session: a refused connection ("not signed in") or a 401 snapshot
 * means it ended, and the sync hands over to the sign-in page through onSignedOut.
 */
import type { AlertView, SmsView, WallPulse, WallSnapshot } from '../../../common/contract/api.ts'
import { isSignedOut } from './api.ts'
import { emptyWall, fromSnapshot, received, withCard, withClock, withPulse, withSms, type WallState } from './wallState.ts'

/** LiveSocket is the part of a socket.io-client Socket the sync uses (a fake in tests). */
export interface LiveSocket {
  on(event: 'connect', fn: () => void): unknown
  on(event: 'disconnect', fn: (reason: string) => void): unknown
  on(event: 'connect_error', fn: (err: Error) => void): unknown
  on(event: 'alert', fn: (card: AlertView) => void): unknown
  on(event: 'sms', fn: (sms: SmsView) => void): unknown
  on(event: 'clock', fn: (tick: { now: string }) => void): unknown
  on(event: 'resync', fn: () => void): unknown
  on(event: 'pulse', fn: (p: WallPulse) => void): unknown
  connect(): unknown
  disconnect(): unknown
}

/** ConnectionStatus drives the status indicator. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting'

/** SIGNED_OUT is the server's refusal of a socket without a live session. */
export const SIGNED_OUT = 'not signed in'

/** WallSyncOptions wires the sync to its collaborators. */
export interface WallSyncOptions {
  socket: LiveSocket
  loadSnapshot: () => Promise<WallSnapshot>
  onChange: (state: WallState, status: ConnectionStatus) => void
  /** The session ended: the wall cannot go on and the user must sign in again. */
  onSignedOut?: () => void
  /** Wait before retrying a failed snapshot load, or reconnecting after the server dropped us. */
  retryMs?: number
  /** Cap on updates held during a reload; beyond it the oldest held one is dropped. */
  maxHeld?: number
  /** Wall clock, epoch ms: when a live event arrived (freshness). */
  now?: () => number
  /** The day (YYYY-MM-DD, platform zone) a card's event fell on, for the 30-day trend; absent: the trend moves on reloads only. */
  dayOf?: (instant: string) => string | null
}

/** WallSync is a running sync. */
export interface WallSync {
  state(): WallState
  status(): ConnectionStatus
  stop(): void
}

type Held = { card: AlertView } | { sms: SmsView }

/** startWallSync starts listening; the socket may already be connecting. */
export function startWallSync(opts: WallSyncOptions): WallSync {
  const retryMs = opts.retryMs ?? 2000
  const maxHeld = opts.maxHeld ?? 500
  const wallNow = opts.now ?? Date.now
  let state = emptyWall()
  let status: ConnectionStatus = 'connecting'
  let held: Held[] | null = null // non-null while a reload is in flight
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

  const signedOut = () => {
    if (stopped) return
    stopped = true
    clearTimeout(timer)
    opts.onSignedOut?.()
  }

  const apply = (h: Held) => {
    state = 'card' in h ? withCard(state, h.card, opts.dayOf?.(h.card.at)) : withSms(state, h.sms)
  }

  const live = (h: Held) => {
    state = received(state, wallNow())
    if (held) {
      held.push(h)
      if (held.length > maxHeld) held.shift()
      return
    }
    apply(h)
    publish()
  }

  const reload = (gen: number) => {
    held ??= []
    opts.loadSnapshot().then(
      (snapshot) => {
        if (gen !== generation || stopped) return
        state = fromSnapshot(snapshot, state.lastEventAt, wallNow())
        for (const h of held ?? []) apply(h)
        held = null
        publish()
      },
      (err: unknown) => {
        if (isSignedOut(err)) return signedOut()
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
  // Socket.IO does not retry a connection the server refused; a network error it retries.
  opts.socket.on('connect_error', (err) => {
    if (err.message === SIGNED_OUT) signedOut()
  })
  opts.socket.on('alert', (card) => live({ card }))
  opts.socket.on('sms', (sms) => live({ sms }))
  // A card changed after it was shown (withdrawn by a correction): reload the whole wall.
  opts.socket.on('resync', () => {
    if (status !== 'connected') return
    generation++
    held = null
    reload(generation)
  })
  opts.socket.on('pulse', (p) => {
    state = withPulse(state, p)
    publish()
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

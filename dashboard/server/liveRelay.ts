/**
 * Live relay: pushes the platform's new cards, text-message changes, its clock and the
 * kpi worker's "these periods' figures changed" (`kpi`, to the readers of figures, kpi.read) to
 * connected walls and consoles over Socket.IO. Every socket is signed in
 * (accounts/socket.ts requireSignIn) and sits in the rooms of its scope; a card or
 * a message goes only to readers of every department and to its own department's
 * room. Browsers never get history here; they resync from /api/v1/wall on each
 * (re)connect, so the relay holds no per-client buffer and its memory stays flat.
 */
import type { Server } from 'socket.io'
import { ALL_ROOM, deptRoom, emitAlert, emitToHolders } from '../../accounts/index.ts'
import type { DashboardSource } from './source.ts'

/** ClockTick is the payload of the `clock` event. */
export interface ClockTick {
  now: string
}

/** clockTick reads the platform clock as the wall's `clock` payload. */
export function clockTick(source: Pick<DashboardSource, 'now'>): ClockTick {
  return { now: new Date(source.now()).toISOString() }
}

/** startLiveRelay wires `source` to `io`; the returned function undoes it. */
export function startLiveRelay(
  io: Server,
  source: DashboardSource,
  opts: { clockIntervalMs: number; log: (m: string) => void; pulseIntervalMs?: number },
): () => void {
  const failed = (what: string) => (err: unknown) => opts.log(`dashboard: live ${what} stream failed: ${(err as Error).message}`)
  const cards = source.live.subscribe({
    // A card no longer open (withdrawn by a correction) changes counts already shown: its readers reload.
    next: (alert) => (alert.status === 'open' ? emitAlert(io, alert) : emitAlert(io, alert, 'resync')),
    error: failed('alert'),
  })
  const sms = source.liveSms.subscribe({
    // A message of no department (an older row) is for readers of every department only.
    next: (m) => void io.to(m.dept ? [ALL_ROOM, deptRoom(m.dept)] : ALL_ROOM).emit('sms', m),
    error: failed('sms'),
  })
  // Only which periods changed: each reader re-reads the figures its scope allows.
  const kpi = source.liveKpi?.subscribe({
    next: (change) => emitToHolders(io, 'kpi.read', 'kpi', change),
    error: failed('kpi'),
  })
  // A newly connected wall should not wait up to one interval to show the time.
  const onConnection = (socket: { emit(ev: string, v: unknown): void }) => socket.emit('clock', clockTick(source))
  io.on('connection', onConnection)
  const timer = setInterval(() => io.emit('clock', clockTick(source)), opts.clockIntervalMs)
  timer.unref()
  // The rate and the last event's time, for walls of every department; a department's wall has its own in each snapshot.
  const pulse = source.pulse?.bind(source)
  const pulseTimer = pulse
    ? setInterval(
        () => void pulse().then((p) => void io.to(ALL_ROOM).emit('pulse', p), failed('pulse')),
        opts.pulseIntervalMs ?? 30_000,
      )
    : undefined
  pulseTimer?.unref()
  return () => {
    clearInterval(timer)
    clearInterval(pulseTimer)
    cards.unsubscribe()
    sms.unsubscribe()
    kpi?.unsubscribe()
    io.off('connection', onConnection)
  }
}

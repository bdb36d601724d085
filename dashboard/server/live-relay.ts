/**
 * Live relay: pushes the platform's new cards and its clock to every connected wall
 * over Socket.IO. Browsers never get history here; they resync from /api/v1/wall on
 * each (re)connect, so the relay holds no per-client buffer and its memory stays flat.
 */
import type { Server } from 'socket.io'
import type { DashboardSource } from './wall-contract.ts'

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
  opts: { clockIntervalMs: number; log: (m: string) => void },
): () => void {
  const sub = source.live.subscribe({
    // A card no longer open (withdrawn by a correction) changes counts already shown: walls reload.
    next: (alert) => (alert.status === 'open' ? io.emit('alert', alert) : io.emit('resync')),
    error: (err: unknown) => opts.log(`dashboard: live alert stream failed: ${(err as Error).message}`),
  })
  // A newly connected wall should not wait up to one interval to show the time.
  const onConnection = (socket: { emit(ev: string, v: unknown): void }) => socket.emit('clock', clockTick(source))
  io.on('connection', onConnection)
  const timer = setInterval(() => io.emit('clock', clockTick(source)), opts.clockIntervalMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    sub.unsubscribe()
    io.off('connection', onConnection)
  }
}

/**
 * The admin page's data (GET /api/v1/admin/status): every component's latest status,
 * heard on the bus (live topic `status`) or, for this process's own, asked directly,
 * so the page still shows the dashboard's state while the bus is down; and the dead
 * letters of each stream, counted and the newest read from JIANCHA_DEAD.
 */
import { ALERTS_STREAM, type Bus, EVENTS_STREAM, type StoredDeadLetter } from '../../common/bus/index.ts'
import { type DeadLetterStream, type DeadLetterView, type HealthReport, MAX_RECENT_DEAD_LETTERS, type PlatformStatus } from '../../common/contract/index.ts'
import { LIVE_STATUS, within } from '../../common/health/index.ts'
import { StatusBook } from './statusBook.ts'

/** DEAD_LETTER_STREAMS are the streams whose consumers may give messages up, in the order shown. */
export const DEAD_LETTER_STREAMS: readonly string[] = [EVENTS_STREAM, ALERTS_STREAM]

/** READ_TIMEOUT_MS bounds reading the dead letters: the page must answer while the bus is slow. */
const READ_TIMEOUT_MS = 5000

/** PlatformStatusFeed follows the heartbeats; read() builds the admin page's answer. */
export interface PlatformStatusFeed {
  read(): Promise<PlatformStatus>
  stop(): void
}

/** PlatformStatusOptions: the bus, and the health of this process's own components. */
export interface PlatformStatusOptions {
  bus: Pick<Bus, 'connection' | 'subscribeLive' | 'deadLetters' | 'recentDeadLetters'>
  local: () => Promise<HealthReport>
  /** wall time; Date.now by default */
  now?: () => number
}

/** platformStatusFeed subscribes to the heartbeats at once. */
export function platformStatusFeed(opts: PlatformStatusOptions): PlatformStatusFeed {
  const now = opts.now ?? Date.now
  const book = new StatusBook()
  const sub = opts.bus.subscribeLive<unknown>(LIVE_STATUS, (msg) => void book.note(msg, now()))
  return {
    async read() {
      const local = await opts.local().then((r) => r.components, () => [])
      const components = book.reports(now(), local)
      const at = new Date(now()).toISOString()
      if (!opts.bus.connection.up) return { now: at, components, deadLetters: null, deadLettersError: 'the bus is not connected' }
      try {
        return { now: at, components, deadLetters: await within(readDeadLetters(opts.bus), READ_TIMEOUT_MS) }
      } catch (e) {
        return { now: at, components, deadLetters: null, deadLettersError: (e as Error).message }
      }
    },
    stop: () => sub.unsubscribe(),
  }
}

async function readDeadLetters(bus: PlatformStatusOptions['bus']): Promise<DeadLetterStream[]> {
  return Promise.all(
    DEAD_LETTER_STREAMS.map(async (stream) => ({
      stream,
      count: await bus.deadLetters(stream),
      recent: (await bus.recentDeadLetters(stream, MAX_RECENT_DEAD_LETTERS)).map(deadLetterView),
    })),
  )
}

/** deadLetterView is a stored dead letter as the page shows it. */
export function deadLetterView(d: StoredDeadLetter): DeadLetterView {
  return { ...d, at: new Date(d.at).toISOString() }
}

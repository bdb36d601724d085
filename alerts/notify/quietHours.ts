/**
 * Quiet hours: nobody is woken for a yellow card. A yellow notice raised in the
 * window (22:00–07:00 in the platform's zone by default) is held until the window ends and
 * goes out then, with the other yellows of the night; a red one goes out at once.
 * Local time comes from an explicit Zone, never from the process time zone.
 */
import { Zone } from '../../common/time/index.ts'
import { decide, type Notice, type Stage } from './stage.ts'

/** QuietHours is the window in local wall-clock time, "HH:MM"; it may span midnight. */
export interface QuietHours {
  start: string
  end: string
}

/** DEFAULT_QUIET_HOURS is 22:00 to 07:00. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '22:00', end: '07:00' }

/** QuietWindow is a checked window in minutes after local midnight, in a zone. */
export interface QuietWindow {
  startMin: number
  endMin: number
  zone: Zone
}

const MINUTE = 60_000

function minutes(hhmm: string, field: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm)
  if (!m) throw new Error(`quiet hours: ${field} must be HH:MM (00:00–23:59), got "${hhmm}"`)
  return Number(m[1]) * 60 + Number(m[2])
}

/** quietWindow checks quiet hours, read in zone; null, or a start equal to the end, means no quiet hours. */
export function quietWindow(hours: QuietHours | null, zone: Zone): QuietWindow | null {
  if (hours === null) return null
  const startMin = minutes(hours.start, 'start')
  const endMin = minutes(hours.end, 'end')
  return startMin === endMin ? null : { startMin, endMin, zone }
}

// What local clocks show, not the time since midnight: they differ on a day clocks change.
function localMinute(w: QuietWindow, t: number): number {
  return Math.floor(w.zone.timeOfDay(t) / MINUTE)
}

/** isQuiet tells whether instant t falls in the window [start, end). */
export function isQuiet(w: QuietWindow, t: number): boolean {
  const m = localMinute(w, t)
  return w.startMin < w.endMin ? m >= w.startMin && m < w.endMin : m >= w.startMin || m < w.endMin
}

/** quietEnd returns the first instant after t at which the window ends (local `end` o'clock). */
export function quietEnd(w: QuietWindow, t: number): number {
  const day = w.zone.dayOf(t)
  const today = w.zone.instantAt(day, w.endMin * MINUTE)
  return today > t ? today : w.zone.instantAt(day + 1, w.endMin * MINUTE)
}

/** Park holds a notice until an instant; false when there is no room left. */
export type Park = (n: Notice, until: number) => boolean

/** quietHoursStage holds yellow notices raised in quiet hours until the window ends; red ones pass. */
export function quietHoursStage(w: QuietWindow | null, park: Park): Stage {
  return {
    name: 'quiet_hours',
    async exec(ctx, items) {
      if (w === null || items.length === 0 || !isQuiet(w, ctx.now)) return items
      const until = quietEnd(w, ctx.now)
      return items.filter((n) => {
        if (n.alert.level === 'red') return true
        const held = { ...n, deferUntil: until }
        if (park(held, until)) decide(ctx, 'quiet_hours', n, 'defer', 'quiet_hours', { until })
        else decide(ctx, 'quiet_hours', n, 'drop', 'overflow', { detail: 'too many notices held for the morning' })
        return false
      })
    },
  }
}

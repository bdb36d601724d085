/**
 * Time formatting for the app: in the platform's zone (Me.zone, JIANCHA_ZONE on the
 * server), whatever zone the browser's own machine is set to, with a 24-hour clock.
 * Time fields are read and written in that zone too, as "YYYY-MM-DD HH:mm" text: a
 * browser's own date picker shows the browser's locale (12/03/2026, 04:19 AM in an
 * English browser), not the app's. Nothing here reads the browser's zone: every
 * function is given the zone.
 */

const DAY_MS = 86_400_000
const formats = new Map<string, Intl.DateTimeFormat>()

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formats.set(zone, f)
  }
  return f
}

/** LocalTime is an instant split into wall-clock fields of a zone. */
export interface LocalTime {
  date: string // YYYY-MM-DD
  time: string // HH:mm:ss
}

/** localTime splits an RFC 3339 instant (or epoch ms) into its date and time in zone; null if invalid. */
export function localTime(instant: string | number, zone: string): LocalTime | null {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant)
  if (!Number.isFinite(ms)) return null
  const p: Record<string, string> = {}
  for (const { type, value } of partsFormat(zone).formatToParts(ms)) p[type] = value
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` }
}

/** formatInstant renders an instant as "YYYY-MM-DD HH:mm" in zone; unparseable input comes back raw. */
export function formatInstant(instant: string, zone: string): string {
  const t = localTime(instant, zone)
  return t ? `${t.date} ${t.time.slice(0, 5)}` : instant
}

/** toLocalInput writes an instant as a time field's text ("YYYY-MM-DD HH:mm") in zone, as formatInstant shows it. */
export function toLocalInput(instant: number, zone: string): string {
  const t = localTime(instant, zone)
  return t ? `${t.date} ${t.time.slice(0, 5)}` : ''
}

/**
 * fromLocalInput reads a time field ("YYYY-MM-DD HH:mm[:ss]", or with a T) as wall time in
 * zone and returns it as RFC 3339 with the zone's offset then; null if invalid. A time
 * that clocks skip (spring forward) reads as the hour after, one they repeat as its first.
 */
export function fromLocalInput(value: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number]
  const local = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC rolls 30 February over into March: such a date is not a date.
  const back = new Date(local)
  const fields = [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours(), back.getUTCMinutes(), back.getUTCSeconds()]
  if (fields.some((f, i) => f !== [y, mo, d, h, mi, s][i])) return null
  const t = instantOf(local, zone)
  const shown = localTime(t, zone)!
  return `${shown.date}T${shown.time}${offsetText(offsetAt(t, zone))}`
}

// The zone's UTC offset at instant t, from what its clocks show then.
function offsetAt(t: number, zone: string): number {
  const whole = Math.floor(t / 1000) * 1000
  const { date, time } = localTime(whole, zone)!
  return Date.parse(`${date}T${time}Z`) - whole
}

// The instant clocks in zone show `local` (wall time written as if UTC); as common/time's Zone.instantAt.
function instantOf(local: number, zone: string): number {
  const before = offsetAt(local - DAY_MS, zone)
  const after = offsetAt(local + DAY_MS, zone)
  const early = local - before
  const late = local - after
  const earlyShows = offsetAt(early, zone) === before
  const lateShows = offsetAt(late, zone) === after
  if (earlyShows && lateShows) return Math.min(early, late)
  return lateShows ? late : early
}

function offsetText(off: number): string {
  const abs = Math.abs(off) / 60_000
  return `${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

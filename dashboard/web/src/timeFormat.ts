/**
 * Time formatting for the app: always in the platform zone, Asia/Shanghai, whatever
 * zone the wall's own machine is set to, and with a 24-hour clock.
 */

const PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** ShanghaiTime is an instant split into Shanghai wall-clock fields. */
export interface ShanghaiTime {
  date: string // YYYY-MM-DD
  time: string // HH:mm:ss
}

/** shanghaiTime splits an RFC 3339 instant (or epoch ms) into Shanghai date and time; null if invalid. */
export function shanghaiTime(instant: string | number): ShanghaiTime | null {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant)
  if (!Number.isFinite(ms)) return null
  const p: Record<string, string> = {}
  for (const { type, value } of PARTS.formatToParts(ms)) p[type] = value
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` }
}

/** formatShanghai renders an instant as "YYYY-MM-DD HH:mm" in Shanghai; unparseable input comes back raw. */
export function formatShanghai(instant: string): string {
  const t = shanghaiTime(instant)
  return t ? `${t.date} ${t.time.slice(0, 5)}` : instant
}

/**
 * fromShanghaiInput reads a datetime-local value ("YYYY-MM-DDTHH:mm") as Shanghai wall
 * time, whatever zone the browser is in, and returns it as RFC 3339; null if invalid.
 * Shanghai keeps +08:00 all year (no daylight saving).
 */
export function fromShanghaiInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return null
  const iso = `${m[1]}T${m[2]}:${m[3] ?? '00'}+08:00`
  return Number.isFinite(Date.parse(iso)) ? iso : null
}

/** toShanghaiInput writes an instant as a datetime-local value in Shanghai time. */
export function toShanghaiInput(instant: number): string {
  const t = shanghaiTime(instant)
  return t ? `${t.date}T${t.time.slice(0, 5)}` : ''
}

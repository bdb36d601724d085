/**
 * Zone does the platform's calendar arithmetic in an explicit IANA time zone
 * (Asia/Shanghai by default, contract §2), never in the process time zone, so that
 * results are the same whatever TZ the server runs with.
 */
export const DAY_MS = 86_400_000

/** DEFAULT_ZONE is the platform's zone when JIANCHA_ZONE does not name another (contract §2). */
export const DEFAULT_ZONE = 'Asia/Shanghai'

/** Day is a local calendar date as a count of days since 1970-01-01 in the zone. */
export type Day = number

export class Zone {
  private readonly fmt: Intl.DateTimeFormat | null
  /** the offset of a zone that never changes it (hot path), else null */
  private readonly fixed: number | null
  private readonly cache = new Map<number, number>()
  private readonly spelled = new Map<number, string>()

  /** Zone.of builds a zone from an IANA name; an unknown name throws with the name. */
  static of(name: string): Zone {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name })
    } catch {
      throw new Error(`unknown time zone "${name}"`)
    }
    return new Zone(name)
  }

  private constructor(readonly name: string) {
    // Asia/Shanghai has had a fixed +08:00 offset since 1991: skip Intl on the hot path.
    this.fmt =
      name === 'Asia/Shanghai' || name === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone: name,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          })
    this.fixed = name === 'UTC' ? 0 : name === 'Asia/Shanghai' ? 8 * 3_600_000 : null
  }

  /** offsetMs returns the zone's UTC offset at instant t, in milliseconds. */
  offsetMs(t: number): number {
    if (this.fixed !== null) return this.fixed
    const hour = Math.floor(t / 3_600_000)
    let off = this.cache.get(hour)
    if (off === undefined) {
      const p: Record<string, number> = {}
      for (const part of this.fmt!.formatToParts(new Date(hour * 3_600_000))) {
        if (part.type !== 'literal') p[part.type] = Number(part.value)
      }
      const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
      off = asUtc - hour * 3_600_000
      if (this.cache.size > 100_000) this.cache.clear()
      this.cache.set(hour, off)
    }
    return off
  }

  /** dayOf returns the local date of instant t. */
  dayOf(t: number): Day {
    return Math.floor((t + (this.fixed ?? this.offsetMs(t))) / DAY_MS)
  }

  /** startOf returns the instant of 00:00 local time on day d. */
  startOf(d: Day): number {
    return this.instantAt(d, 0)
  }

  /**
   * instantAt returns the instant at which local clocks show `ms` after 00:00 on day d
   * (07:00 is 7 × 3_600_000). On a day clocks change, that is not startOf(d) + ms; a
   * wall time skipped by the change comes out an hour later, one repeated is its first.
   */
  instantAt(d: Day, ms: number): number {
    const local = d * DAY_MS + ms
    if (this.fixed !== null) return local - this.fixed
    // Offsets change at most once around a given wall time: try the one before and after.
    const before = this.offsetMs(local - DAY_MS)
    const after = this.offsetMs(local + DAY_MS)
    const early = local - before
    const late = local - after
    const earlyShows = this.offsetMs(early) === before
    const lateShows = this.offsetMs(late) === after
    if (earlyShows && lateShows) return Math.min(early, late)
    if (lateShows) return late
    return early // shows the wall time, or it was skipped: `early` is the instant an hour on
  }

  /** timeOfDay returns what local clocks show at instant t, in ms after 00:00. */
  timeOfDay(t: number): number {
    const local = t + (this.fixed ?? this.offsetMs(t))
    return local - Math.floor(local / DAY_MS) * DAY_MS
  }

  /**
   * format prints instant t as RFC 3339 with the zone's offset, e.g. 2026-10-11T00:00:00+08:00.
   * Cards fall due mostly at midnights, so many share an instant: the spellings are remembered.
   */
  format(t: number): string {
    let s = this.spelled.get(t)
    if (s === undefined) {
      s = this.spell(t)
      if (this.spelled.size >= 10_000) this.spelled.clear()
      this.spelled.set(t, s)
    }
    return s
  }

  private spell(t: number): string {
    const off = this.offsetMs(t)
    const local = new Date(t + off).toISOString().slice(0, 19)
    const sign = off < 0 ? '-' : '+'
    const abs = Math.abs(off) / 60_000
    const hh = String(Math.floor(abs / 60)).padStart(2, '0')
    const mm = String(abs % 60).padStart(2, '0')
    return `${local}${sign}${hh}:${mm}`
  }
}

/** dayFromIso turns a YYYY-MM-DD date into a Day; a malformed date throws. */
export function dayFromIso(date: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new Error(`bad date "${date}", expected YYYY-MM-DD`)
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new Error(`bad date "${date}"`)
  return t / DAY_MS
}

/** isoFromDay prints a Day as YYYY-MM-DD. */
export function isoFromDay(d: Day): string {
  return new Date(d * DAY_MS).toISOString().slice(0, 10)
}

/** weekdayOf returns 0 (Sunday) .. 6 (Saturday) for a Day. */
export function weekdayOf(d: Day): number {
  return (((d + 4) % 7) + 7) % 7
}

/** yearOf returns the Gregorian year of a Day. */
export function yearOf(d: Day): number {
  return new Date(d * DAY_MS).getUTCFullYear()
}

/**
 * parseInstant parses an RFC 3339 timestamp that carries an offset (contract §1).
 * Returns NaN when the text is not such a timestamp.
 */
export function parseInstant(s: string): number {
  if (!RFC3339.test(s)) return NaN
  return Date.parse(s)
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

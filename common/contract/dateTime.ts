/**
 * isDateTime checks RFC 3339 date-time (JSON Schema's "date-time" format) with real
 * calendar dates. It replaces ajv-formats' version on the hot path of ingest and
 * replay; a test proves the two agree.
 */
const DT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** isDateTime tells whether s is a valid RFC 3339 date-time with an offset. */
export function isDateTime(s: string): boolean {
  const m = DT.exec(s)
  if (!m) return false
  const y = +m[1]!
  const mo = +m[2]!
  const d = +m[3]!
  if (mo < 1 || mo > 12 || d < 1) return false
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  if (d > DAYS[mo - 1]! + (leap ? 1 : 0)) return false
  const h = +m[4]!
  const mi = +m[5]!
  const sec = +m[6]!
  const oh = m[8] ? +m[8] : 0
  const om = m[9] ? +m[9] : 0
  if (h > 23 || mi > 59 || oh > 23 || om > 59) return false
  if (sec <= 59) return true
  if (sec > 60) return false
  // A leap second is 23:59:60 in UTC.
  const sign = m[7] === '-' ? -1 : 1
  const utc = (h * 60 + mi - sign * (oh * 60 + om) + 1440 * 2) % 1440
  return utc === 23 * 60 + 59
}

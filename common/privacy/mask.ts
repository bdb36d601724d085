/**
 * Masking of petitioners' personal data (contract §4) in everything a browser is
 * shown: names keep their first character, phones their first 3 and last 4 digits,
 * id-card numbers their first 6 and last 4. Pure; the clear data is reachable only
 * through the unmask route (dashboard/server/accounts/routes.ts), which checks and
 * audits. Also keeps contacts' numbers out of logs, audit rows and walls.
 */

// Keys compared lower-case. Names: the contract's field; ids: any key that says it is one.
const NAME_KEYS = new Set(['petitionername'])
const PHONE_KEYS = new Set(['phone', 'mobile', 'petitionerphone'])
const ID_KEYS = new Set(['idcard', 'idnumber', 'petitioneridcard', 'petitioneridnumber'])
// Identity of the event itself: a number inside these is a reference, not personal data.
const STRUCTURAL_KEYS = new Set(['id', 'caseid', 'source', 'kind', 'type', 'dept', 'at'])

// 18-character resident id: 6-digit region, birth date 18xx–20xx, 3 digits, check digit or X.
const ID_CARD = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g
// Mainland mobile numbers written into free text.
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g

/** maskName keeps the first character of a name: 张三丰 → 张**. */
export function maskName(name: string): string {
  const chars = [...name.trim()]
  return chars.length ? chars[0]! + '*'.repeat(Math.max(chars.length - 1, 1)) : ''
}

/** maskPhone keeps the first 3 and last 4 digits: 13800000000 → 138****0000; a short number is all stars. */
export function maskPhone(phone: string): string {
  // +86 / 0086 is the country code, not part of the number.
  const digits = phone.replace(/\D/g, '').replace(/^(?:00)?86(?=1\d{10}$)/, '')
  if (digits.length < 8) return '*'.repeat(Math.max(digits.length, 4))
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/** maskIdNumber keeps the first 6 and last 4 characters of an 18-character id: 110101********1234. */
export function maskIdNumber(id: string): string {
  const s = id.trim()
  if (s.length === 18) return `${s.slice(0, 6)}********${s.slice(-4)}`
  return s.length > 10 ? `${s.slice(0, 3)}${'*'.repeat(s.length - 5)}${s.slice(-2)}` : '*'.repeat(Math.max(s.length, 4))
}

/** maskText masks id-card and mobile numbers written anywhere in free text. */
export function maskText(text: string): string {
  return text.replace(ID_CARD, (m) => maskIdNumber(m)).replace(MOBILE, (m) => maskPhone(m))
}

/**
 * maskPersonal returns a copy of a value (an event body, a list of them) with personal
 * data masked at any depth: by field name, and id-card or mobile numbers in any text.
 */
export function maskPersonal<T>(value: T): T {
  return walk(value, '') as T
}

function walk(value: unknown, key: string): unknown {
  const k = key.toLowerCase()
  if (value === null || value === undefined) return value
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value)
    if (NAME_KEYS.has(k)) return maskName(s)
    if (PHONE_KEYS.has(k)) return maskPhone(s)
    if (ID_KEYS.has(k)) return maskIdNumber(s)
    if (typeof value === 'number' || STRUCTURAL_KEYS.has(k)) return value
    return maskText(value)
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, key))
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k2, v]) => [k2, walk(v, k2)]))
  }
  return value
}

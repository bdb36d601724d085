/**
 * validateEvent checks one incoming object against the contract (event.schema.json
 * plus the rules the schema cannot say), and names the offending field on failure.
 */
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import { isDateTime } from './dateTime.ts'
import type { CaseEvent } from './event.ts'

const schema = JSON.parse(readFileSync(new URL('./event.schema.json', import.meta.url), 'utf8')) as object
// Two compilations of the same schema: a fast one that stops at the first error for the
// common case (valid events), and a thorough one to explain a rejection well.
const fast = compile(false)
const check = compile(true)
// And a quicker pre-check still, surelyValid below, that only ever says "surely valid".

function compile(allErrors: boolean) {
  const ajv = new Ajv2020.default({ allErrors, strict: false })
  addFormats.default(ajv)
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime })
  return ajv.compile(schema)
}

/** Invalid names the first problem of a rejected event. */
export interface Invalid {
  ok: false
  field: string
  message: string
}

/** Valid carries the event, typed, and its instant. */
export interface Valid {
  ok: true
  event: CaseEvent
  /** `at` as epoch ms, what Date.parse gives */
  t: number
}

/** validateEvent returns the typed event or the field and reason it breaks. */
export function validateEvent(input: unknown): Valid | Invalid {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, field: '(event)', message: 'an event must be a JSON object' }
  }
  if (!surelyValid(input as Record<string, unknown>) && !fast(input) && !check(input)) return firstProblem(check.errors ?? [])
  const ev = input as CaseEvent
  const t = instantOf(ev.at)
  if (Number.isNaN(t)) return { ok: false, field: 'at', message: 'must be an RFC 3339 timestamp with an offset' }
  const extra = beyondSchema(ev)
  return extra ?? { ok: true, event: ev, t }
}

/** quickValid tells whether the pre-check proves an object valid against the schema (exported for its differential test). */
export function quickValid(input: unknown): boolean {
  return isObject(input) && surelyValid(input)
}

/** The contract's table says more than the schema: these are its remaining constraints. */
function beyondSchema(ev: CaseEvent): Invalid | null {
  const bad = illFormedText(ev)
  if (bad) return bad
  if (!inCentury(ev.at)) return { ok: false, field: 'at', message: `year must lie between ${FIRST_YEAR} and ${LAST_YEAR}` }
  const a = ev.attrs ?? {}
  if (ev.kind === 'supervision' && ev.type === 'assigned' && typeof a.dueAt === 'string' && !inCentury(a.dueAt)) {
    return { ok: false, field: 'attrs.dueAt', message: `year must lie between ${FIRST_YEAR} and ${LAST_YEAR}` }
  }
  if (ev.kind === 'approval' && ev.type === 'accepted') {
    if (typeof a.legalDays === 'number' && typeof a.promisedDays === 'number' && a.legalDays < a.promisedDays) {
      return { ok: false, field: 'attrs.legalDays', message: `must be ≥ promisedDays (${a.promisedDays})` }
    }
  }
  if (ev.kind === 'enforcement' && ev.type === 'penalty') {
    if (typeof a.min === 'number' && typeof a.max === 'number' && a.min > a.max) {
      return { ok: false, field: 'attrs.max', message: `must be ≥ min (${a.min})` }
    }
  }
  return null
}

/** Instants lie in these years (contract v1.1), so that no clock or calendar runs unboundedly far. */
const FIRST_YEAR = 2000
const LAST_YEAR = 2099

/** inCentury tells whether the year of an RFC 3339 instant, as written, lies in the contract's years. */
function inCentury(at: string): boolean {
  const y = Number(at.slice(0, 4))
  return y >= FIRST_YEAR && y <= LAST_YEAR
}

/**
 * MAX_DEPTH bounds how deeply an event's values may nest: the contract keeps unknown
 * fields, and a value nested a hundred thousand levels deep would overflow every
 * recursive step after this one (JSON.stringify on the bus, jsonb in the database).
 */
export const MAX_DEPTH = 32

/**
 * illFormedText finds a string anywhere in the event (keys, attrs and unknown fields
 * too) that holds U+0000 or an unpaired surrogate, which no database stores, or a
 * value nested deeper than MAX_DEPTH. The walk is iterative, so it cannot overflow the stack.
 */
function illFormedText(ev: CaseEvent): Invalid | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: ev, path: '', depth: 0 }]
  while (stack.length) {
    const { v, path, depth } = stack.pop()!
    if (depth > MAX_DEPTH) return { ok: false, field: path.split('.')[0]!, message: `nests deeper than ${MAX_DEPTH} levels, more than the platform keeps` }
    if (typeof v === 'string') {
      const why = textProblem(v)
      if (why) return { ok: false, field: path || '(event)', message: why }
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const at = path ? `${path}.${k}` : k
        const why = textProblem(k)
        if (why) return { ok: false, field: at, message: `its name ${why}` }
        if (typeof x === 'string' || (typeof x === 'object' && x !== null)) stack.push({ v: x, path: at, depth: depth + 1 })
      }
    }
  }
  return null
}

function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain U+0000 (NUL)'
  if (!s.isWellFormed()) return 'must not contain an unpaired surrogate (not valid Unicode text)'
  return null
}

/**
 * firstProblem picks the ajv error to report: branch summaries ("must match then")
 * say nothing, and a top-level field outranks the attributes that depend on it.
 */
function firstProblem(errors: ErrorObject[]): Invalid {
  const useful = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf')
  const e = useful.sort((x, y) => depth(x) - depth(y))[0] ?? errors[0]
  if (!e) return { ok: false, field: '(event)', message: 'does not match the event schema' }
  let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  if (e.keyword === 'required') field = field ? `${field}.${String(e.params.missingProperty)}` : String(e.params.missingProperty)
  if (e.keyword === 'required') return { ok: false, field, message: 'is required' }
  if (e.keyword === 'enum') return { ok: false, field, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` }
  if (e.keyword === 'format') return { ok: false, field, message: 'must be an RFC 3339 timestamp with an offset, e.g. 2026-09-28T09:15:00+08:00' }
  return { ok: false, field: field || '(event)', message: e.message ?? 'is invalid' }
}

function depth(e: ErrorObject): number {
  return e.instancePath.split('/').length + (e.keyword === 'required' ? 1 : 0)
}

/**
 * AttrSpec is one attribute the schema constrains for a kind and type of event:
 * `string` (with a least length), `integer` or `number` (within bounds), `boolean`,
 * one of `values`, or an RFC 3339 `date-time`.
 */
interface AttrSpec {
  key: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'date-time'
  required: boolean
  min?: number
  max?: number
  values?: readonly string[]
}

/** TypeSpec is what event.schema.json asks of the attrs of one kind and type of event. */
interface TypeSpec {
  /** the event must carry attrs */
  attrs: boolean
  fields: AttrSpec[]
}

/** The schema's bounds of v1.1: day counts and amounts (yuan). */
const MAX_DAYS = 3650
const MAX_AMOUNT = 1e12

const need = (key: string, type: AttrSpec['type'], more: Partial<AttrSpec> = {}): AttrSpec => ({ key, type, required: true, ...more })
const may = (key: string, type: AttrSpec['type'], more: Partial<AttrSpec> = {}): AttrSpec => ({ key, type, required: false, ...more })
const none: TypeSpec = { attrs: false, fields: [] }

/**
 * SPECS restates event.schema.json's allOf, kind by kind and type by type, for the
 * pre-check below. A differential test holds the two together: whatever the
 * pre-check accepts, ajv must accept.
 */
const SPECS: ReadonlyMap<string, ReadonlyMap<string, TypeSpec>> = new Map(
  Object.entries({
    approval: {
      submitted: { attrs: true, fields: [need('itemCode', 'string', { min: 1 })] },
      accepted: {
        attrs: true,
        fields: [
          need('itemCode', 'string', { min: 1 }), need('itemName', 'string', { min: 1 }),
          need('promisedDays', 'integer', { min: 1, max: MAX_DAYS }), need('legalDays', 'integer', { min: 1, max: MAX_DAYS }),
          may('dayType', 'enum', { values: ['working', 'calendar'] }), may('feeStandard', 'number', { min: 0, max: MAX_AMOUNT }),
        ],
      },
      rejected: { attrs: false, fields: [may('reason', 'string')] },
      suspended: { attrs: true, fields: [need('reason', 'enum', { values: ['correction', 'expert_review', 'hearing', 'inspection', 'other'] })] },
      resumed: none,
      decided: { attrs: true, fields: [need('decision', 'enum', { values: ['approve', 'deny'] })] },
      completed: none,
      fee: { attrs: true, fields: [need('amount', 'number', { min: 0, max: MAX_AMOUNT })] },
      evaluated: { attrs: true, fields: [need('score', 'integer', { min: 1, max: 5 })] },
      withdrawn: none,
    },
    enforcement: {
      filed: { attrs: false, fields: [may('limitDays', 'integer', { min: 1, max: MAX_DAYS })] },
      penalty: {
        attrs: true,
        fields: [need('amount', 'number', { min: 0, max: MAX_AMOUNT }), need('min', 'number', { min: 0, max: MAX_AMOUNT }), need('max', 'number', { min: 0, max: MAX_AMOUNT })],
      },
      concluded: none,
    },
    petition: {
      registered: {
        attrs: true,
        fields: [need('petitionerId', 'string', { min: 1 }), need('subject', 'string', { min: 1 }), may('petitionerName', 'string'), may('phone', 'string')],
      },
      accepted: none,
      extended: { attrs: true, fields: [need('days', 'integer', { min: 1, max: 30 })] },
      replied: none,
      evaluated: { attrs: true, fields: [need('satisfied', 'boolean')] },
    },
    supervision: {
      assigned: { attrs: true, fields: [need('title', 'string', { min: 1 }), need('dueAt', 'date-time')] },
      progress: { attrs: true, fields: [need('percent', 'number', { min: 0, max: 100 })] },
      completed: none,
    },
  }).map(([kind, types]) => [kind, new Map(Object.entries(types))]),
)

/**
 * surelyValid is a pre-check of the schema for the common case. ajv tries each `if`
 * of the schema's allOf in turn and allocates an error object for every one that does
 * not match (some twenty per event); this looks up the kind and type instead and
 * allocates nothing. It returns true only for an event that it proves valid by the
 * schema's rules, and false ("not proven") otherwise: ajv then decides, and explains.
 * It may be stricter than the schema (a string whose length it cannot settle cheaply,
 * an unusual spelling of an instant), never looser.
 */
function surelyValid(v: Record<string, unknown>): boolean {
  if (!text(v.id, 1, 200) || !text(v.source, 1, 100) || !text(v.caseId, 1, 200) || !text(v.dept, 1, 100)) return false
  if (!CODE.test(v.source as string) || !CODE.test(v.dept as string) || !PLAIN.test(v.id as string) || !PLAIN.test(v.caseId as string)) return false
  if (typeof v.kind !== 'string' || typeof v.type !== 'string' || !isInstant(v.at)) return false
  if (v.actor !== undefined && !(text(v.actor, 0, 100) && PLAIN.test(v.actor as string))) return false
  const spec = SPECS.get(v.kind)?.get(v.type)
  if (!spec) return false
  const attrs = v.attrs
  if (attrs === undefined) return !spec.attrs
  if (!isObject(attrs)) return false
  for (const f of spec.fields) {
    const x = attrs[f.key]
    if (x === undefined ? f.required : !fits(f, x)) return false
  }
  return true
}

/** The schema's patterns: codes (`dept`, `source`), and text with no control or bidirectional-override characters. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/
const PLAIN = /^[^\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/

/** isPlainText tells whether s meets the schema's pattern for ids and case ids: not empty, no control or bidirectional-override characters. */
export function isPlainText(s: string): boolean {
  return PLAIN.test(s)
}

/** fits tells whether a value surely meets an attribute's constraints. */
function fits(f: AttrSpec, x: unknown): boolean {
  switch (f.type) {
    case 'string':
      return text(x, f.min ?? 0, Infinity)
    case 'integer':
      return Number.isInteger(x) && (x as number) >= (f.min ?? -Infinity) && (x as number) <= (f.max ?? Infinity)
    case 'number':
      return typeof x === 'number' && Number.isFinite(x) && x >= (f.min ?? -Infinity) && x <= (f.max ?? Infinity)
    case 'boolean':
      return typeof x === 'boolean'
    case 'enum':
      return typeof x === 'string' && f.values!.includes(x)
    case 'date-time':
      return isInstant(x)
  }
}

/**
 * text tells whether a value is a string of min..max characters as ajv counts them
 * (code points): n UTF-16 units hold between n/2 and n of them, so a length that
 * cannot settle it is "not proven".
 */
function text(x: unknown, min: number, max: number): boolean {
  return typeof x === 'string' && x.length <= max && x.length >= 2 * min - 1
}

/** isInstant tells whether a value is a date-time by isDateTime's rules, quickly for the usual spelling. */
function isInstant(x: unknown): boolean {
  return typeof x === 'string' && (!Number.isNaN(canonicalInstant(x)) || isDateTime(x))
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** instantOf is Date.parse, quicker for the usual spelling. */
function instantOf(at: string): number {
  const t = canonicalInstant(at)
  return Number.isNaN(t) ? Date.parse(at) : t
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * canonicalInstant reads the usual spelling of an instant, YYYY-MM-DDTHH:MM:SS with Z
 * or ±HH:MM, and returns what Date.parse returns for it; NaN for any other text, even
 * a valid one (a fraction, a leap second, a lowercase t), which then takes the slow
 * way. What it reads is a valid RFC 3339 date-time by isDateTime's rules too.
 */
function canonicalInstant(s: string): number {
  // validateEvent asks twice for the same text: once to check it, once for its instant.
  if (s === lastSpelling) return lastInstant
  lastInstant = readCanonical(s)
  lastSpelling = s
  return lastInstant
}

let lastSpelling = ''
let lastInstant = NaN

function readCanonical(s: string): number {
  const n = s.length
  if ((n !== 20 && n !== 25) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return NaN
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN
  const y = digits(s, 0, 4)
  const mo = digits(s, 5, 2)
  const d = digits(s, 8, 2)
  const h = digits(s, 11, 2)
  const mi = digits(s, 14, 2)
  const sec = digits(s, 17, 2)
  if (!(y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && sec <= 59)) return NaN
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return NaN
  let offset = 0
  if (n === 20) {
    if (s.charCodeAt(19) !== 90) return NaN
  } else {
    const sign = s.charCodeAt(19) === 43 ? 1 : s.charCodeAt(19) === 45 ? -1 : 0
    const oh = digits(s, 20, 2)
    const om = digits(s, 23, 2)
    if (sign === 0 || s.charCodeAt(22) !== 58 || !(oh <= 23 && om <= 59)) return NaN
    offset = sign * (oh * 60 + om) * 60_000
  }
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 - offset
}

/** daysFromCivil counts the days from 1970-01-01 to a date of the proleptic Gregorian calendar, as Date does (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** digits reads `len` ASCII digits at `at` as a number; NaN if any is not a digit. */
function digits(s: string, at: number, len: number): number {
  let v = 0
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return NaN
    v = v * 10 + c
  }
  return v
}

/**
 * validateEvent checks one incoming object against the contract (event.schema.json
 * plus the rules the schema cannot say), and names the offending field on failure.
 */
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import type { CaseEvent } from './event.ts'

const schema = JSON.parse(readFileSync(new URL('./event.schema.json', import.meta.url), 'utf8')) as object
const ajv = new Ajv2020.default({ allErrors: true, strict: false })
addFormats.default(ajv)
const check = ajv.compile(schema)

/** Invalid names the first problem of a rejected event. */
export interface Invalid {
  ok: false
  field: string
  message: string
}

/** Valid carries the event, typed. */
export interface Valid {
  ok: true
  event: CaseEvent
}

/** validateEvent returns the typed event or the field and reason it breaks. */
export function validateEvent(input: unknown): Valid | Invalid {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, field: '(event)', message: 'an event must be a JSON object' }
  }
  if (!check(input)) return firstProblem(check.errors ?? [])
  const ev = input as CaseEvent
  const extra = beyondSchema(ev)
  return extra ?? { ok: true, event: ev }
}

/** The contract's table says more than the schema: these are its remaining constraints. */
function beyondSchema(ev: CaseEvent): Invalid | null {
  if (Number.isNaN(Date.parse(ev.at))) return { ok: false, field: 'at', message: 'must be an RFC 3339 timestamp with an offset' }
  const a = ev.attrs ?? {}
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

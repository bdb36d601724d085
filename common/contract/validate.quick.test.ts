/**
 * The quick pre-check of validateEvent (surelyValid) against ajv on the same schema:
 * on valid and broken events, generated from event.schema.json itself, whatever the
 * pre-check accepts ajv accepts too, so validateEvent decides exactly as ajv alone
 * did. The instant it returns is what Date.parse gives.
 */
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isDateTime } from './dateTime.ts'
import { quickValid, validateEvent } from './validate.ts'

type Obj = Record<string, unknown>
const schema = JSON.parse(readFileSync(new URL('./event.schema.json', import.meta.url), 'utf8')) as Obj
const ajv = new Ajv2020.default({ strict: false })
addFormats.default(ajv)
ajv.addFormat('date-time', { type: 'string', validate: isDateTime })
const schemaValid = ajv.compile(schema)

/** The attrs schema of each kind.type, read from the schema's allOf. */
const attrsOf = new Map<string, { schema: Obj; required: boolean }>()
const typesOf = new Map<string, string[]>()
for (const m of schema.allOf as Obj[]) {
  const cond = (m.if as Obj).properties as Obj
  const kind = (cond.kind as Obj).const as string
  const then = m.then as Obj
  if (cond.type) {
    const attrs = (then.properties as Obj).attrs as Obj
    attrsOf.set(`${kind}.${(cond.type as Obj).const as string}`, { schema: attrs, required: ((then.required as string[]) ?? []).includes('attrs') })
  } else typesOf.set(kind, ((then.properties as Obj).type as Obj).enum as string[])
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const INSTANTS = [
  '2026-09-28T10:00:00+08:00', '2026-09-28T02:00:00Z', '2024-02-29T23:59:59-05:30', '2026-12-31T23:59:59+14:00',
  '2026-09-28t10:00:00+08:00', '2026-09-28 10:00:00+08:00', '2026-09-28T10:00:00.123+08:00', '2026-09-28T10:00:00z',
  '2016-12-31T23:59:60Z', '2016-12-31T15:59:60-08:00', '2026-02-29T10:00:00+08:00', '2026-13-01T10:00:00+08:00',
  '2026-04-31T10:00:00Z', '2026-09-28T24:00:00Z', '2026-09-28T10:60:00Z', '2026-09-28T10:00:00+24:00', '2026-09-28T10:00:00+08:60',
  '2026-09-28T10:00:00', '2026-09-28', '0050-01-01T00:00:00Z', '0999-12-31T23:59:59Z', '1000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59',
  '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2026-09-28T10:00:00+0800', '2026-9-28T10:00:00+08:00', '２０２６-09-28T10:00:00Z',
]
const strings = (r: () => number) => ['', 'x', ' ', '许可', '😀', '😀'.repeat(60), 'a'.repeat(99), 'a'.repeat(100), 'a'.repeat(101), 'b'.repeat(199), 'b'.repeat(200), 'b'.repeat(201), '😀'.repeat(100), '😀'.repeat(101), 'c'.repeat(Math.floor(r() * 300))]
const NUMBERS = [-1, -0, 0, 0.5, 1, 2, 4, 5, 6, 29, 30, 31, 99.5, 100, 101, 1e21, NaN, Infinity, -Infinity]
const OTHERS = [true, false, null, [], {}, ['x'], { a: 1 }, undefined]

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

/** anyValue is a value of any kind, often one on a boundary of some constraint of the schema. */
function anyValue(r: () => number): unknown {
  const k = r()
  if (k < 0.3) return pick(r, strings(r))
  if (k < 0.5) return pick(r, NUMBERS)
  // A copy: a later mutation must not write into the shared value (and make it circular, which JSON never is).
  if (k < 0.6) return structuredClone(pick(r, OTHERS))
  if (k < 0.75) return pick(r, INSTANTS)
  return pick(r, [...typesOf.keys(), ...[...typesOf.values()].flat(), 'working', 'calendar', 'approve', 'deny', 'correction', 'other'])
}

/** validFor makes a value that the subschema accepts. */
function validFor(s: Obj, r: () => number): unknown {
  if (s.enum) return pick(r, s.enum as unknown[])
  if (s.format === 'date-time') return pick(r, INSTANTS.slice(0, 4))
  switch (s.type) {
    case 'string':
      return 'v'.repeat(Math.max(1, (s.minLength as number | undefined) ?? 0) + Math.floor(r() * 3))
    case 'integer': {
      const lo = (s.minimum as number | undefined) ?? 0
      const hi = (s.maximum as number | undefined) ?? lo + 40
      return lo + Math.floor(r() * (hi - lo + 1))
    }
    case 'number':
      return Math.min((s.maximum as number | undefined) ?? Infinity, ((s.minimum as number | undefined) ?? 0) + r() * 200)
    case 'boolean':
      return r() < 0.5
  }
  return {}
}

/** validEvent makes an event of kind.type that the schema accepts, with required and some optional attrs. */
function validEvent(kindType: string, r: () => number): Obj {
  const [kind, type] = kindType.split('.') as [string, string]
  const ev: Obj = { id: `e${Math.floor(r() * 1e6)}`, source: 'hall', kind, type, caseId: 'A-1', dept: 'market', at: pick(r, INSTANTS.slice(0, 4)) }
  if (r() < 0.3) ev.actor = 'officer-7'
  const spec = attrsOf.get(kindType)!
  const props = (spec.schema.properties ?? {}) as Record<string, Obj>
  const required = (spec.schema.required ?? []) as string[]
  if (spec.required || required.length || r() < 0.5) {
    const attrs: Obj = {}
    for (const [k, sub] of Object.entries(props)) if (required.includes(k) || r() < 0.5) attrs[k] = validFor(sub, r)
    ev.attrs = attrs
  }
  return ev
}

/** mutate breaks (or not) an event in one to three places, keeping the schema's names likely. */
function mutate(ev: Obj, r: () => number): Obj {
  const x: Obj = structuredClone(ev)
  const n = 1 + Math.floor(r() * 3)
  for (let i = 0; i < n; i++) {
    const attrs = x.attrs
    const attrKeys = Object.keys(((attrsOf.get(`${x.kind}.${x.type}`)?.schema.properties ?? {}) as Obj))
    if (r() < 0.5 && attrs && typeof attrs === 'object' && !Array.isArray(attrs)) {
      const k = pick(r, [...attrKeys, 'extra'])
      if (r() < 0.2) delete (attrs as Obj)[k]
      else (attrs as Obj)[k] = r() < 0.3 && attrKeys.includes(k) ? validFor(((attrsOf.get(`${x.kind}.${x.type}`)!.schema.properties as Obj)[k]) as Obj, r) : anyValue(r)
    } else {
      const k = pick(r, [...Object.keys(schema.properties as Obj), 'extra'])
      if (r() < 0.2) delete x[k]
      else x[k] = anyValue(r)
    }
  }
  return x
}

const kindTypes = [...attrsOf.keys()]

describe('validateEvent quick pre-check', () => {
  it('accepts every valid event of every kind and type, so valid events skip ajv', () => {
    const r = rng(1)
    for (const kt of kindTypes) {
      for (let i = 0; i < 50; i++) {
        const ev = validEvent(kt, r)
        expect(schemaValid(ev), JSON.stringify(ev)).toBe(true)
        expect(quickValid(ev), JSON.stringify(ev)).toBe(true)
      }
    }
  })

  it('accepts the events of the contract examples', () => {
    const dir = new URL('./examples/', import.meta.url)
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl') && !n.includes('expected'))) {
      for (const line of readFileSync(new URL(f, dir), 'utf8').split('\n').filter((l) => l.trim())) expect(quickValid(JSON.parse(line)), line).toBe(true)
    }
  })

  it('never accepts what ajv rejects (fuzzed from the schema)', () => {
    const r = rng(2)
    let quick = 0
    let valid = 0
    for (let i = 0; i < 60_000; i++) {
      const x = mutate(validEvent(pick(r, kindTypes), r), r)
      const ok = schemaValid(x)
      if (ok) valid++
      if (quickValid(x)) {
        quick++
        if (!ok) expect.fail(`pre-check accepts what ajv rejects: ${JSON.stringify(x)}`)
      }
      const v = validateEvent(x)
      if (!ok) expect(v.ok).toBe(false)
      if (v.ok) expect(v.t).toBe(Date.parse(x.at as string))
    }
    // Both sides are well exercised, and the pre-check proves most of what is valid.
    expect(valid).toBeGreaterThan(10_000)
    expect(60_000 - valid).toBeGreaterThan(10_000)
    expect(quick).toBeGreaterThan(valid * 0.8)
  })

  it('reads instants as Date.parse does, and only valid ones', () => {
    const r = rng(3)
    const spellings = [...INSTANTS]
    for (let i = 0; i < 20_000; i++) {
      const p = (n: number, w: number) => String(n).padStart(w, '0')
      const sign = pick(r, ['+', '-'])
      const zone = r() < 0.2 ? 'Z' : `${sign}${p(Math.floor(r() * 25), 2)}:${p(Math.floor(r() * 61), 2)}`
      spellings.push(`${p(Math.floor(r() * 10000), 4)}-${p(Math.floor(r() * 14), 2)}-${p(Math.floor(r() * 33), 2)}T${p(Math.floor(r() * 25), 2)}:${p(Math.floor(r() * 61), 2)}:${p(Math.floor(r() * 61), 2)}${zone}`)
    }
    for (const at of spellings) {
      const ev = { id: 'e1', source: 's', kind: 'approval', type: 'resumed', caseId: 'A-1', dept: 'd', at }
      if (quickValid(ev)) expect(schemaValid(ev), at).toBe(true)
      const v = validateEvent(ev)
      // Beyond the schema, contract v1.1 bounds the year as written.
      const year = Number(at.slice(0, 4))
      expect(v.ok, at).toBe(schemaValid(ev) && !Number.isNaN(Date.parse(at)) && year >= 2000 && year <= 2099)
      if (v.ok) expect(v.t, at).toBe(Date.parse(at))
    }
  })
})

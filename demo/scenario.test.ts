import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { arrivalOf, caseEvents, eventsBetween, KIND_MIX, LIFESPAN_DAYS, planCase } from './scenario.ts'
import { isOfficeHours } from './shanghai.ts'

const schema = JSON.parse(readFileSync(new URL('../common/contract/event.schema.json', import.meta.url), 'utf8')) as object
const ajv = new Ajv2020.default({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(schema)

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
const DAY = 86_400_000
const SEED = 11
const RATE = 150
const plans = Array.from({ length: 5_000 }, (_, i) => planCase(SEED, i, arrivalOf(SEED, i, simStart, RATE)))

describe('caseEvents', () => {
  it('is deterministic: same seed and index, same events', () => {
    for (const i of [0, 1, 77, 4_999, 123_456]) {
      const a = arrivalOf(SEED, i, simStart, RATE)
      expect(caseEvents(SEED, i, a)).toEqual(caseEvents(SEED, i, a))
    }
    expect(caseEvents(SEED, 5, simStart)).not.toEqual(caseEvents(SEED + 1, 5, simStart))
  })

  it('produces events valid against the contract schema', () => {
    const invalid: unknown[] = []
    let n = 0
    for (const p of plans) {
      for (const e of p.events) {
        n++
        if (!validate(e)) invalid.push({ e, errors: validate.errors })
      }
    }
    expect(n).toBeGreaterThan(15_000)
    expect(invalid.slice(0, 3)).toEqual([])
  })

  it('names ids, sources, cases and instants as agreed, in order and within the lifespan', () => {
    const ids = new Set<string>()
    const problems: string[] = []
    for (const [i, p] of plans.entries()) {
      if (p.caseId !== `SIM-${p.kind[0]!.toUpperCase()}-${i}`) problems.push(`caseId ${p.caseId}`)
      const arrival = arrivalOf(SEED, i, simStart, RATE)
      p.events.forEach((e: CaseEvent, n) => {
        ids.add(e.id)
        if (e.id !== `sim-${SEED}-${i}-${n}` || e.source !== 'simulator') problems.push(`id/source ${e.id}`)
        if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(e.at) || Date.parse(e.at) !== p.times[n]) problems.push(`at ${e.id}`)
        // Strictly increasing within a case, all within the lifespan after arrival.
        if (n > 0 && !(p.times[n]! > p.times[n - 1]!)) problems.push(`order ${e.id}`)
        if (p.times[n]! < arrival || p.times[n]! > arrival + LIFESPAN_DAYS * DAY) problems.push(`lifespan ${e.id}`)
      })
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(ids.size).toBe(plans.reduce((a, p) => a + p.events.length, 0))
  })

  it('mixes kinds and violations in sane proportions', () => {
    for (const [kind, share] of Object.entries(KIND_MIX)) {
      expect(plans.filter((p) => p.kind === kind).length / plans.length).toBeCloseTo(share, 1)
    }
    const share = plans.filter((p) => p.violation !== null).length / plans.length
    expect(share).toBeGreaterThan(0.08)
    expect(share).toBeLessThan(0.14)
  })

  it('happens mostly, not only, in office hours', () => {
    const all = plans.flatMap((p) => p.times)
    const inside = all.filter(isOfficeHours).length / all.length
    expect(inside).toBeGreaterThan(0.85)
    expect(inside).toBeLessThan(1)
  })
})

describe('arrivalOf', () => {
  it('is non-decreasing and runs at the given rate', () => {
    let prev = -Infinity
    for (let i = 0; i < 3_000; i++) {
      const a = arrivalOf(SEED, i, simStart, RATE)
      expect(a).toBeGreaterThanOrEqual(prev)
      prev = a
    }
    expect(arrivalOf(SEED, 1_500, simStart, RATE)).toBeGreaterThanOrEqual(simStart + 10 * DAY)
    expect(arrivalOf(SEED, 1_500, simStart, RATE)).toBeLessThan(simStart + 10 * DAY + DAY / RATE)
  })
})

describe('eventsBetween', () => {
  const ids = (from: number, to: number) => eventsBetween(SEED, simStart, 40, from, to).map((e) => e.id)

  it('partitions time: (a, b] then (b, c] is (a, c], with no duplicates', () => {
    const a = simStart + 30 * DAY + 3_600_000
    const b = a + 2.5 * DAY
    const c = b + 4 * DAY
    const whole = ids(a, c)
    expect([...ids(a, b), ...ids(b, c)]).toEqual(whole)
    expect(new Set(whole).size).toBe(whole.length)
    expect(whole.length).toBeGreaterThan(50)
  })

  it('returns events sorted by at with from < at ≤ to, including cases that arrived long before', () => {
    const from = simStart + 120 * DAY
    const to = from + DAY
    const evs = eventsBetween(SEED, simStart, 40, from, to)
    const times = evs.map((e) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((x, y) => x - y))
    for (const t of times) expect(t > from && t <= to).toBe(true)
    const firstIndex = (e: CaseEvent) => Number(e.caseId.split('-')[2])
    expect(evs.some((e) => arrivalOf(SEED, firstIndex(e), simStart, 40) < from - 30 * DAY)).toBe(true)
  })

  it('treats a bound equal to an event instant as in (a, at] and out of (at, b]', () => {
    const evs = eventsBetween(SEED, simStart, 40, simStart, simStart + 5 * DAY)
    const t = Date.parse(evs[10]!.at)
    expect(eventsBetween(SEED, simStart, 40, simStart, t).map((e) => e.id)).toContain(evs[10]!.id)
    expect(eventsBetween(SEED, simStart, 40, t, simStart + 5 * DAY).map((e) => e.id)).not.toContain(evs[10]!.id)
  })

  it('is empty before the simulation starts and for empty windows', () => {
    expect(eventsBetween(SEED, simStart, 40, simStart - 10 * DAY, simStart)).toEqual([])
    expect(eventsBetween(SEED, simStart, 40, simStart + DAY, simStart + DAY)).toEqual([])
  })
})

/**
 * The engine keeps a case's clock cards across events that are not of a clock type
 * (KindRules.clockTypes). That is right only if the clocks read nothing else: for
 * random cases of every kind, the clocks over all the events equal the clocks over
 * the clock-type events alone, and allRules keeps the clocks-then-marks order.
 */
import { describe, expect, it } from 'vitest'
import type { Kind, TimedEvent } from '../common/contract/index.ts'
import { approval } from './approval.ts'
import { allRules, type Candidate, type KindRules } from './candidate.ts'
import { defaultContext } from './context.ts'
import { enforcement } from './enforcement.ts'
import { petition } from './petition.ts'
import { defaultSettings } from './settings.ts'
import { supervision } from './supervision.ts'
import { sorted, te } from './testEvents.ts'

const KINDS: Record<Kind, KindRules> = { approval, enforcement, petition, supervision }
const TYPES: Record<Kind, string[]> = {
  approval: ['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'decided', 'completed', 'fee', 'evaluated', 'withdrawn'],
  enforcement: ['filed', 'penalty', 'concluded'],
  petition: ['registered', 'accepted', 'extended', 'replied', 'evaluated'],
  supervision: ['assigned', 'progress', 'completed'],
}
const HOUR = 3_600_000
const START = Date.parse('2026-09-25T09:00:00+08:00')
const iso = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 19) + '+08:00'

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function attrsFor(kind: Kind, type: string, r: () => number, t: number): Record<string, unknown> | undefined {
  const n = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  switch (`${kind}.${type}`) {
    case 'approval.submitted': return { itemCode: 'X' }
    case 'approval.accepted': return { itemCode: 'X', itemName: 'n', promisedDays: n(1, 12), legalDays: 20, dayType: r() < 0.3 ? 'calendar' : 'working', feeStandard: n(0, 1) * 80 }
    case 'approval.rejected': return r() < 0.5 ? { reason: '' } : { reason: 'x' }
    case 'approval.suspended': return { reason: 'correction' }
    case 'approval.fee': return { amount: n(0, 2) * 60 }
    case 'approval.evaluated': return { score: n(1, 5) }
    case 'enforcement.filed': return r() < 0.7 ? { limitDays: n(1, 40) } : undefined
    case 'enforcement.penalty': return { amount: n(0, 200), min: 50, max: 150 }
    case 'petition.registered': return { petitionerId: 'p1', subject: 's' }
    case 'petition.extended': return { days: n(1, 30) }
    case 'petition.evaluated': return { satisfied: r() < 0.5 }
    case 'supervision.assigned': return { title: 't', dueAt: iso(t + n(0, 30 * 24) * HOUR) }
    case 'supervision.progress': return { percent: 50 }
  }
  return undefined
}

function randomCase(kind: Kind, r: () => number): TimedEvent[] {
  const events: TimedEvent[] = []
  let t = START + Math.floor(r() * 40 * 24) * HOUR
  for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) {
    const type = TYPES[kind][Math.floor(r() * TYPES[kind].length)]!
    t += r() < 0.2 ? 0 : Math.floor(r() * (r() < 0.5 ? 3 : 12 * 24)) * HOUR
    events.push(te(kind, type, 'C-1', iso(t), attrsFor(kind, type, r, t)))
  }
  return sorted(events)
}

function run(part: KindRules['clocks'], events: readonly TimedEvent[], ctx = defaultContext()): Candidate[] {
  const out: Candidate[] = []
  part(events, ctx, out)
  return out
}

describe('KindRules', () => {
  const tight = defaultContext({ settings: { ...defaultSettings(), approval: { ...defaultSettings().approval, dueSoonMarginDays: 0, acceptDays: 1, poorRatingMax: 4 } } })

  it.each(Object.keys(KINDS) as Kind[])('%s: the clocks read only the clock types', (kind) => {
    const rules = KINDS[kind]
    const r = rng(kind.length)
    for (let i = 0; i < 3000; i++) {
      const events = randomCase(kind, r)
      const clockEvents = events.filter((e) => rules.clockTypes.has(e.ev.type))
      for (const ctx of [defaultContext(), tight]) expect(run(rules.clocks, events, ctx)).toEqual(run(rules.clocks, clockEvents, ctx))
    }
  })

  it.each(Object.keys(KINDS) as Kind[])('%s: allRules gives the clocks, then the marks', (kind) => {
    const rules = KINDS[kind]
    const r = rng(7)
    for (let i = 0; i < 300; i++) {
      const events = randomCase(kind, r)
      expect(allRules(rules)(events, defaultContext())).toEqual([...run(rules.clocks, events), ...run(rules.marks, events)])
    }
  })
})

import { describe, expect, it } from 'vitest'
import type { CasePlan } from './caseBuilder.ts'
import { PETITION_MIX, petitionCase } from './petition.ts'
import { rngFor } from './prng.ts'
import { localDay } from './shanghai.ts'

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
// About 18 petitions a day, as at the default rate of 150 cases a day.
const plans: CasePlan[] = Array.from({ length: 8_000 }, (_, i) => petitionCase(3, i, simStart + i * 4_800_000, rngFor(3, i)))
const of = (rule: string | null) => plans.filter((p) => p.violation === rule)
const at = (p: CasePlan, type: string) => p.times[p.events.findIndex((e) => e.type === type)]
const days = (p: CasePlan, a: string, b: string) => localDay(at(p, b)!) - localDay(at(p, a)!)
const petitionerOf = (p: CasePlan) => p.events[0]!.attrs!.petitionerId as string

describe('petitionCase', () => {
  it('accepts and replies clean petitions in time, with satisfied evaluations', () => {
    const bad = of(null).filter((p) => {
      const ext = (p.events.find((e) => e.type === 'extended')?.attrs?.days as number | undefined) ?? 0
      const sat = p.events.find((e) => e.type === 'evaluated')?.attrs?.satisfied
      return days(p, 'registered', 'accepted') >= 15 || days(p, 'accepted', 'replied') >= 55 + ext || sat === false
    })
    expect(bad).toEqual([])
    expect(of(null).some((p) => p.events.some((e) => e.type === 'extended'))).toBe(true)
  })

  it('plants never-accepted, late and unsatisfied petitions', () => {
    for (const [rule, share] of Object.entries(PETITION_MIX)) expect(of(rule).length / plans.length).toBeCloseTo(share, 1)
    for (const p of of('petition.accept_overdue')) expect(p.events.map((e) => e.type)).toEqual(['registered'])
    for (const p of of('petition.reply_overdue')) expect(days(p, 'accepted', 'replied')).toBeGreaterThan(60)
    for (const p of of('petition.unsatisfied')) expect(p.events.at(-1)!.attrs).toEqual({ satisfied: false })
  })

  it('makes repeat petitioners come three or more times within 30 days', () => {
    const byPetitioner = new Map<string, number[]>()
    for (const p of plans) byPetitioner.set(petitionerOf(p), [...(byPetitioner.get(petitionerOf(p)) ?? []), p.times[0]!])
    let repeats = 0
    for (const times of byPetitioner.values()) {
      times.sort((a, b) => a - b)
      for (let i = 2; i < times.length; i++) if (times[i]! - times[i - 2]! <= 30 * 86_400_000) repeats++
    }
    // Only repeat-planted petitions share petitioners, and a good share of them fire.
    expect(repeats).toBeGreaterThan(of('petition.repeat').length * 0.25)
    for (const p of of(null)) expect(byPetitioner.get(petitionerOf(p))!.length).toBe(1)
  })

  it('keeps a petitioner\'s name and phone stable and synthetic', () => {
    const seen = new Map<string, string>()
    for (const p of of('petition.repeat')) {
      const a = p.events[0]!.attrs!
      if (!a.phone) continue
      expect(a.phone).toMatch(/^1\d{10}$/)
      const prev = seen.get(a.petitionerId as string)
      if (prev) expect(prev).toBe(`${a.petitionerName} ${a.phone}`)
      seen.set(a.petitionerId as string, `${a.petitionerName} ${a.phone}`)
    }
  })
})

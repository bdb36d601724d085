import { describe, expect, it } from 'vitest'
import { defaultContext } from '../../rules/index.ts'
import { afterWorkingHours } from './officeHours.ts'

const ctx = defaultContext()
const f = (since: string, hours: number) => ctx.zone.format(afterWorkingHours(Date.parse(since), hours, ctx))

describe('afterWorkingHours', () => {
  it('counts within one working day', () => expect(f('2026-11-23T10:00:00+08:00', 4)).toBe('2026-11-23T14:00:00+08:00'))
  it('starts counting at 09:00 when the last event came at night', () => expect(f('2026-11-23T02:00:00+08:00', 4)).toBe('2026-11-23T13:00:00+08:00'))
  it('carries over the evening and the weekend', () => expect(f('2026-11-20T15:00:00+08:00', 4)).toBe('2026-11-23T11:00:00+08:00'))
  it('skips the National Day holiday', () => expect(f('2026-09-30T16:00:00+08:00', 4)).toBe('2026-10-08T12:00:00+08:00'))
  it('counts a make-up Sunday', () => expect(f('2026-09-19T10:00:00+08:00', 2)).toBe('2026-09-20T11:00:00+08:00'))
})

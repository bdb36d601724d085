import { describe, expect, it } from 'vitest'
import { Zone } from '../../common/time/index.ts'
import { isQuiet, quietEnd, quietHoursStage, quietWindow } from './quietHours.ts'
import type { Notice } from './stage.ts'
import { at, notice, testCtx } from './testing.ts'

const shanghai = Zone.of('Asia/Shanghai')
const night = quietWindow({ start: '22:00', end: '07:00' }, shanghai)!

describe('quietWindow', () => {
  it('spans midnight: 22:00 to 07:00 Asia/Shanghai, start included, end excluded', () => {
    const quiet = ['2026-11-10 21:59', '2026-11-10 22:00', '2026-11-11 03:00', '2026-11-11 06:59', '2026-11-11 07:00', '2026-11-11 12:00']
    expect(quiet.map((t) => isQuiet(night, at(t)))).toEqual([false, true, true, true, false, false])
  })

  it('may sit within one day', () => {
    const lunch = quietWindow({ start: '12:00', end: '13:30' }, shanghai)!
    expect(['11:59', '12:00', '13:29', '13:30'].map((t) => isQuiet(lunch, at(`2026-11-10 ${t}`)))).toEqual([false, true, true, false])
  })

  it('reads local time in its zone, whatever the process TZ', () => {
    const utc = quietWindow({ start: '22:00', end: '07:00' }, Zone.of('UTC'))!
    expect(isQuiet(utc, Date.parse('2026-11-10T23:00:00Z'))).toBe(true)
    expect(isQuiet(night, Date.parse('2026-11-10T23:00:00Z'))).toBe(false) // 07:00 in Shanghai
  })

  it('reads local clocks on the nights they change (America/New_York)', () => {
    const ny = quietWindow({ start: '22:00', end: '07:00' }, Zone.of('America/New_York'))!
    // Fall back on 1 November 2026: 06:30 EST is still night, although 7.5 h after midnight.
    expect(isQuiet(ny, Date.parse('2026-11-01T06:30:00-05:00'))).toBe(true)
    expect(isQuiet(ny, Date.parse('2026-11-01T07:00:00-05:00'))).toBe(false)
    expect(quietEnd(ny, Date.parse('2026-11-01T01:30:00-04:00'))).toBe(Date.parse('2026-11-01T07:00:00-05:00'))
    // Spring forward on 8 March: the night is an hour shorter, and ends at 07:00 EDT.
    expect(quietEnd(ny, Date.parse('2026-03-07T23:00:00-05:00'))).toBe(Date.parse('2026-03-08T07:00:00-04:00'))
    expect(isQuiet(ny, Date.parse('2026-03-08T06:59:00-04:00'))).toBe(true)
    expect(isQuiet(ny, Date.parse('2026-03-07T21:59:00-05:00'))).toBe(false)
  })

  it('ends at the next local end o’clock, the same morning or the next one', () => {
    expect(quietEnd(night, at('2026-11-10 23:00'))).toBe(at('2026-11-11 07:00'))
    expect(quietEnd(night, at('2026-11-11 02:00'))).toBe(at('2026-11-11 07:00'))
  })

  it('is off when null or when start equals end, and refuses a malformed time', () => {
    expect(quietWindow(null, shanghai)).toBeNull()
    expect(quietWindow({ start: '07:00', end: '07:00' }, shanghai)).toBeNull()
    expect(() => quietWindow({ start: '24:00', end: '07:00' }, shanghai)).toThrow(/start must be HH:MM/)
    expect(() => quietWindow({ start: '22:00', end: '7' }, shanghai)).toThrow(/end must be HH:MM/)
  })
})

describe('quietHoursStage', () => {
  const parked: Array<[Notice, number]> = []
  const park = (n: Notice, until: number) => (parked.push([n, until]), true)

  it('holds yellow notices raised in quiet hours until the morning and lets red ones go at once', async () => {
    parked.length = 0
    const ctx = testCtx(at('2026-11-10 23:00'))
    const y = notice({ level: 'yellow' })
    const r = notice({ level: 'red' })
    expect(await quietHoursStage(night, park).exec(ctx, [y, r])).toEqual([r])
    expect(parked).toEqual([[{ ...y, deferUntil: at('2026-11-11 07:00') }, at('2026-11-11 07:00')]])
    expect(ctx.recorded).toMatchObject([{ stage: 'quiet_hours', action: 'defer', reason: 'quiet_hours', until: at('2026-11-11 07:00') }])
  })

  it('lets everything through outside quiet hours', async () => {
    parked.length = 0
    const items = [notice({ level: 'yellow' })]
    expect(await quietHoursStage(night, park).exec(testCtx(at('2026-11-11 07:00')), items)).toEqual(items)
    expect(parked).toEqual([])
  })

  it('drops with an overflow decision when nothing more can be held', async () => {
    const ctx = testCtx(at('2026-11-10 23:00'))
    expect(await quietHoursStage(night, () => false).exec(ctx, [notice({ level: 'yellow' })])).toEqual([])
    expect(ctx.recorded).toMatchObject([{ action: 'drop', reason: 'overflow' }])
  })
})

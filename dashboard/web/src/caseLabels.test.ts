import { describe, expect, it } from 'vitest'
import { attrFields, duration, eventLabel } from './caseLabels.ts'

const instant = (iso: string) => `<${iso}>`

describe('case labels', () => {
  it('names event types in the reader\'s language, unknown ones raw', () => {
    expect(eventLabel('zh-CN', 'approval', 'accepted')).toBe('受理')
    expect(eventLabel('en', 'petition', 'replied')).toBe('Replied')
    expect(eventLabel('zh-CN', 'approval', 'teleported')).toBe('teleported')
  })

  it('lists attributes as labelled fields with coded values named, not JSON', () => {
    expect(attrFields('zh-CN', { promisedDays: 5, dayType: 'working', reason: 'correction', satisfied: false, dueAt: '2026-03-01T10:00:00+08:00', extra: { a: 1 } }, instant)).toEqual([
      ['承诺时限（天）', '5'], ['计时方式', '工作日'], ['原因', '补正材料'], ['是否满意', '不满意'], ['截止时间', '<2026-03-01T10:00:00+08:00>'], ['extra', '{"a":1}'],
    ])
    expect(attrFields('en', undefined, instant)).toEqual([])
    expect(attrFields('en', { subject: 'x'.repeat(400) }, instant)[0]![1]).toHaveLength(301)
  })

  it('writes durations as days and hours', () => {
    expect(duration('zh-CN', (4 * 24 + 18) * 3_600_000)).toBe('4 天 18 小时')
    expect(duration('en', -6 * 3_600_000)).toBe('6 h')
  })
})

import { describe, expect, it } from 'vitest'
import { duration, eventLabel } from './caseLabels.ts'

describe('case labels', () => {
  it('names event types in the reader\'s language, unknown ones raw', () => {
    expect(eventLabel('zh-CN', 'approval', 'accepted')).toBe('受理')
    expect(eventLabel('en', 'petition', 'registered')).not.toBe('registered')
    expect(eventLabel('zh-CN', 'approval', 'teleported')).toBe('teleported')
  })

  it('writes durations as days and hours', () => {
    expect(duration('zh-CN', (4 * 24 + 18) * 3_600_000)).toBe('4 天 18 小时')
    expect(duration('en', -6 * 3_600_000)).toBe('6 h')
  })
})

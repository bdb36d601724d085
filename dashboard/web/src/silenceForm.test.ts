import { describe, expect, it } from 'vitest'
import { MIN_REASON } from '../../../alerts/index.ts'
import { MIN_SILENCE_REASON, silenceInput } from './silenceForm.ts'

const draft = { rule: '', dept: 'market', endsAt: '2026-11-25T18:00', reason: '系统维护窗口' }

describe('silence form', () => {
  it('asks for the reason length the server asks for', () => {
    expect(MIN_SILENCE_REASON).toBe(MIN_REASON)
  })

  it('builds a silence of a department until a time in the platform zone', () => {
    expect(silenceInput(draft, 'Asia/Shanghai')).toEqual({ input: { dept: 'market', endsAt: '2026-11-25T18:00:00+08:00', reason: '系统维护窗口' } })
    expect(silenceInput(draft, 'America/New_York')).toEqual({ input: { dept: 'market', endsAt: '2026-11-25T18:00:00-05:00', reason: '系统维护窗口' } })
    expect(silenceInput({ ...draft, dept: '', rule: 'approval.overdue' }, 'Asia/Shanghai')).toEqual({
      input: { rule: 'approval.overdue', endsAt: '2026-11-25T18:00:00+08:00', reason: '系统维护窗口' },
    })
  })

  it('names what is missing', () => {
    expect(silenceInput({ ...draft, dept: ' ' }, 'UTC')).toEqual({ problem: 'silences.needMatcher' })
    expect(silenceInput({ ...draft, endsAt: '' }, 'UTC')).toEqual({ problem: 'silences.needEnd' })
    expect(silenceInput({ ...draft, reason: ' 维护 ' }, 'UTC')).toEqual({ problem: 'err.reasonShort' })
  })
})

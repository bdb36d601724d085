import { describe, expect, it } from 'vitest'
import { MIN_REASON } from '../../../alerts/index.ts'
import { MIN_SILENCE_REASON, silenceInput } from './silenceForm.ts'

const draft = { rule: '', dept: 'market', endsAt: '2026-11-25T18:00', reason: '系统维护窗口' }

describe('silence form', () => {
  it('asks for the reason length the server asks for', () => {
    expect(MIN_SILENCE_REASON).toBe(MIN_REASON)
  })

  it('builds a silence of a department until a Shanghai time', () => {
    expect(silenceInput(draft)).toEqual({ input: { dept: 'market', endsAt: '2026-11-25T18:00:00+08:00', reason: '系统维护窗口' } })
    expect(silenceInput({ ...draft, dept: '', rule: 'approval.overdue' })).toEqual({
      input: { rule: 'approval.overdue', endsAt: '2026-11-25T18:00:00+08:00', reason: '系统维护窗口' },
    })
  })

  it('names what is missing', () => {
    expect(silenceInput({ ...draft, dept: ' ' })).toEqual({ problem: 'silences.needMatcher' })
    expect(silenceInput({ ...draft, endsAt: '' })).toEqual({ problem: 'silences.needEnd' })
    expect(silenceInput({ ...draft, reason: ' 维护 ' })).toEqual({ problem: 'err.reasonShort' })
  })
})

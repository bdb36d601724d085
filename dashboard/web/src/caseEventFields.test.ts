import { describe, expect, it } from 'vitest'
import { eventFields, eventType, fieldValue, MAX_VALUE } from './caseEventFields.ts'
import { EN_EVENTS, ZH_EVENTS } from './i18nCaseEvents.ts'

const ZONE = 'Asia/Shanghai'
/** The event types of the contract (shared/contract README §1; common/contract/event.ts, which the app may not import). */
const EVENT_TYPES: Record<string, string[]> = {
  approval: ['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'decided', 'completed', 'fee', 'evaluated', 'withdrawn'],
  enforcement: ['filed', 'penalty', 'concluded'],
  petition: ['registered', 'accepted', 'extended', 'replied', 'evaluated'],
  supervision: ['assigned', 'progress', 'completed'],
}

describe('case event fields', () => {
  it('names the type by its kind, in either language, and shows an unknown one as sent', () => {
    expect(eventType({ kind: 'approval', type: 'submitted' }, 'zh-CN')).toBe('申请')
    expect(eventType({ kind: 'approval', type: 'decided' }, 'zh-CN')).toBe('作出决定')
    expect(eventType({ kind: 'petition', type: 'accepted' }, 'en')).toBe('Accepted')
    expect(eventType({ kind: 'approval', type: 'reopened' }, 'zh-CN')).toBe('reopened')
    expect(eventType({}, 'zh-CN')).toBe('')
  })

  it('names every event type of the contract', () => {
    for (const [kind, types] of Object.entries(EVENT_TYPES)) for (const type of types) expect(Object.keys(ZH_EVENTS)).toContain(`event.type.${kind}.${type}`)
    expect(Object.keys(EN_EVENTS).sort()).toEqual(Object.keys(ZH_EVENTS).sort())
  })

  it('opens the attributes up, each named, coded values in words, with units; the envelope left out', () => {
    const ev = {
      id: 'e1', source: 'hall', kind: 'approval', type: 'accepted', caseId: 'A-1', dept: 'market', at: 'x', actor: 'u7',
      attrs: { itemCode: 'X-01', promisedDays: 5, dayType: 'working', feeStandard: 0 },
    }
    expect(eventFields(ev, 'zh-CN', ZONE)).toEqual([['经办人', 'u7'], ['事项编码', 'X-01'], ['承诺时限', '5 天'], ['计时方式', '工作日'], ['收费标准', '0 元']])
    expect(eventFields(ev, 'en', ZONE)).toContainEqual(['Days counted', 'Working days'])
  })

  it('writes yes or no, instants in the platform zone, and leaves free text and unknown fields as sent', () => {
    expect(fieldValue('zh-CN', ZONE, 'satisfied', false)).toBe('否')
    expect(fieldValue('zh-CN', ZONE, 'dueAt', '2026-03-02T01:00:00Z')).toBe('2026-03-02 09:00')
    expect(fieldValue('zh-CN', ZONE, 'reason', 'correction')).toBe('补正材料')
    expect(fieldValue('zh-CN', ZONE, 'reason', '材料不全')).toBe('材料不全')
    expect(eventFields({ kind: 'petition', type: 'registered', attrs: { petitionerName: '张**', extra: { a: 1 } } }, 'zh-CN', ZONE))
      .toEqual([['信访人', '张**'], ['extra', '{"a":1}']])
  })

  it('cuts a very long value', () => {
    const [[, v]] = eventFields({ attrs: { subject: 'x'.repeat(MAX_VALUE + 50) } }, 'zh-CN', ZONE) as [[string, string]]
    expect(v).toHaveLength(MAX_VALUE + 1)
  })
})

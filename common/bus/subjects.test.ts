import { describe, expect, it } from 'vitest'
import {
  alertSubject,
  decodeSubjectToken,
  eventSubject,
  eventsFilter,
  liveSubject,
  parseSubject,
  subjectToken,
} from './subjects.ts'

const VALID_TOKEN = /^[A-Za-z0-9_%-]+$/

describe('subjectToken', () => {
  const samples = ['', 'dept-01_A', '市公安局', 'a.b c*>', '%', '%25', '\t\n', '😀 emoji', '..', '>', '*']

  it.each(samples)('round trips %j', (s) => {
    const token = subjectToken(s)
    expect(token).toMatch(VALID_TOKEN)
    expect(decodeSubjectToken(token)).toBe(s)
  })

  it('leaves safe characters alone and encodes the rest as UTF-8 bytes', () => {
    expect(subjectToken('abc_XYZ-09')).toBe('abc_XYZ-09')
    expect(subjectToken('a.b c*>')).toBe('a%2Eb%20c%2A%3E')
    expect(subjectToken('局')).toBe('%E5%B1%80')
    expect(subjectToken('')).toBe('%')
  })

  it('keeps distinct inputs distinct', () => {
    expect(subjectToken('%')).not.toBe(subjectToken(''))
    expect(subjectToken('%2E')).not.toBe(subjectToken('.'))
  })

  it('rejects tokens it could not have produced', () => {
    for (const bad of ['a.b', '%2', '%zz', '%e5', '', '%FF']) {
      expect(() => decodeSubjectToken(bad)).toThrow()
    }
  })
})

describe('subjects', () => {
  it('builds one token per variable part', () => {
    expect(eventSubject('case_opened', '市局.办公室')).toBe(
      'jiancha.events.case_opened.%E5%B8%82%E5%B1%80%2E%E5%8A%9E%E5%85%AC%E5%AE%A4',
    )
    expect(alertSubject('red', 'd1')).toBe('jiancha.alerts.red.d1')
    expect(liveSubject('kpi')).toBe('jiancha.live.kpi')
    expect(eventsFilter()).toBe('jiancha.events.>')
    expect(eventsFilter('case_opened')).toBe('jiancha.events.case_opened.*')
  })

  it('parses what it builds', () => {
    expect(parseSubject(eventSubject('k.1', 'a b'))).toEqual({ family: 'events', category: 'k.1', dept: 'a b' })
    expect(parseSubject(alertSubject('red', ''))).toEqual({ family: 'alerts', category: 'red', dept: '' })
    expect(parseSubject('jiancha.live.kpi')).toBeNull()
    expect(parseSubject('other.events.a.b')).toBeNull()
  })
})

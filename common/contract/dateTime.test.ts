import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { isDateTime } from './dateTime.ts'

const ajv = new Ajv2020.default()
addFormats.default(ajv)
const reference = ajv.compile({ type: 'string', format: 'date-time' })

describe('isDateTime', () => {
  it.each([
    '2026-09-28T09:15:00+08:00', '2026-09-28t09:15:00Z', '2026-09-28 09:15:00z', '2026-09-28T09:15:00.123456-05:30',
    '2024-02-29T00:00:00Z', '2026-02-29T00:00:00Z', '2026-02-30T00:00:00+08:00', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-06-30T23:59:60Z',
    '2026-06-30T23:59:60+00:00', '2026-07-01T07:59:60+08:00', '2026-06-30T22:59:60Z', '2026-01-01T00:00:61Z', '2026-09-28T09:15:00',
    '2026-09-28T09:15+08:00', '2026-09-28T09:15:00+8:00', '2026-09-28T09:15:00+24:00', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z',
    '', 'tomorrow', '2026-09-28', ' 2026-09-28T09:15:00Z', '2026-09-28T09:15:00Z ',
  ])('agrees with ajv-formats on %s', (s) => {
    expect(isDateTime(s)).toBe(reference(s))
  })
})

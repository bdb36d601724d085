import { describe, expect, it } from 'vitest'
import { connectError, reasonOf, redactUrl } from './errors.ts'

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/jc')).toBe('postgres://app:***@db:5432/jc')
    expect(redactUrl('postgres://127.0.0.1:5999/x')).toBe('postgres://127.0.0.1:5999/x')
  })

  it('masks key=value connection strings too', () => {
    expect(redactUrl('host=db password=s3cret dbname=jc')).toBe('host=db password=*** dbname=jc')
  })
})

describe('connectError', () => {
  it('names the redacted URL and the errno code', () => {
    const err = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })
    expect(connectError('postgres://u:pw@127.0.0.1:5999/x', err).message).toBe(
      'database: cannot connect to postgres://u:***@127.0.0.1:5999/x: ECONNREFUSED',
    )
  })

  it('uses the server message when there is no errno code', () => {
    expect(reasonOf(Object.assign(new Error('database "x" does not exist'), { code: '3D000' }))).toBe('database "x" does not exist')
  })
})

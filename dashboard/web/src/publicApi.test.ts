import { describe, expect, it } from 'vitest'
import { ApiError } from './api.ts'
import { createPublicApi } from './publicApi.ts'

describe('publicApi', () => {
  it('sends no cookie and reads a 429 with its wait', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = []
    const api = createPublicApi(async (url, init) => {
      seen.push({ url, init })
      return new Response(JSON.stringify({ error: 'too many' }), { status: 429, headers: { 'retry-after': '42' } })
    })
    const e = await api.lookup('A 1/2', 'abc').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({ status: 429, retryAfterS: 42 })
    expect(seen[0]).toMatchObject({ url: '/api/v1/public/cases/A%201%2F2?code=abc', init: { credentials: 'omit' } })
  })
})

import { errors, RequestError } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import { isTransientNatsError, withRetry } from './retry.ts'

const noSleep = async (): Promise<void> => {}

describe('withRetry', () => {
  it('retries until success with growing delays', async () => {
    const delays: number[] = []
    let calls = 0
    const out = await withRetry(
      async () => {
        if (++calls < 4) throw new errors.TimeoutError()
        return 'ok'
      },
      { sleep: async (ms) => void delays.push(ms), baseDelayMs: 100, maxDelayMs: 300 },
    )
    expect(out).toBe('ok')
    expect(delays).toEqual([100, 200, 300])
  })

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0
    const p = withRetry(async () => {
      calls++
      throw new Error(`fail ${calls}`)
    }, { attempts: 3, sleep: noSleep })
    await expect(p).rejects.toThrow('fail 3')
  })

  it('does not retry errors that are not retryable', async () => {
    let calls = 0
    const p = withRetry(async () => {
      calls++
      throw new Error('permanent')
    }, { isRetryable: isTransientNatsError, sleep: noSleep })
    await expect(p).rejects.toThrow('permanent')
    expect(calls).toBe(1)
  })
})

describe('isTransientNatsError', () => {
  it('treats timeouts and missing responders as transient', () => {
    expect(isTransientNatsError(new errors.TimeoutError())).toBe(true)
    expect(isTransientNatsError(new errors.NoRespondersError('x'))).toBe(true)
    const wrapped = Object.assign(new Error('jetstream is not enabled'), { name: 'JetStreamNotEnabled' })
    expect(isTransientNatsError(wrapped)).toBe(true)
    expect(isTransientNatsError(new RequestError('r', { cause: new errors.NoRespondersError('x') }))).toBe(true)
  })

  it('treats everything else as permanent', () => {
    expect(isTransientNatsError(new Error('maximum payload exceeded'))).toBe(false)
    expect(isTransientNatsError(new errors.ClosedConnectionError())).toBe(false)
    expect(isTransientNatsError('string')).toBe(false)
  })
})

import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream'
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeJson } from './codec.ts'
import { type DeadLetter, ensureConsumer, runBatchConsumer, runConsumer, type ConsumeOptions, type Delivery } from './consumer.ts'
import { EVENTS_STREAM, ensureStreams } from './streams.ts'
import { eventSubject, eventsFilter } from './subjects.ts'
import { sleep, startTestServer, waitFor, type TestServer } from './testdata/harness.ts'

let server: TestServer
let nc: NatsConnection
let js: JetStreamClient
let jsm: JetStreamManager
const logs: string[] = []

beforeAll(async () => {
  server = await startTestServer('consumer')
  nc = await connect({ servers: server.url })
  jsm = await jetstreamManager(nc)
  js = jetstream(nc)
  await ensureStreams(jsm)
})

afterAll(async () => {
  await nc?.close()
  await server?.dispose()
})

// Each test uses its own event kind so that filters keep the tests apart.
const dead: DeadLetter[] = []

function start<T>(kind: string, handler: (d: Delivery<T>) => Promise<void>, opts?: ConsumeOptions) {
  const deps = { js, jsm, log: (m: string) => logs.push(m), isClosed: () => nc.isClosed(), sendDead: async (d: DeadLetter) => void dead.push(d) }
  return runConsumer<T>(deps, { stream: EVENTS_STREAM, durable: `t_${kind}`, filterSubject: eventsFilter(kind) }, handler, opts)
}

async function put(kind: string, data: unknown): Promise<number> {
  return (await js.publish(eventSubject(kind, 'd1'), encodeJson(data))).seq
}

describe('ensureConsumer', () => {
  it('creates an explicit-ack durable and updates it when settings change', async () => {
    const spec = { stream: EVENTS_STREAM, durable: 'ens', filterSubject: eventsFilter('ens') }
    const a = await ensureConsumer(jsm, spec, { ackWaitMs: 5000 })
    expect(a.config.ack_policy).toBe('explicit')
    expect(a.config.ack_wait).toBe(nanos(5000))
    const b = await ensureConsumer(jsm, spec, { ackWaitMs: 7000, maxDeliver: 3 })
    expect(b.config.ack_wait).toBe(nanos(7000))
    expect(b.config.max_deliver).toBe(3)
  })

  it('changes and removes the filter of an existing durable', async () => {
    const spec = { stream: EVENTS_STREAM, durable: 'ensf', filterSubject: eventsFilter('a') }
    await ensureConsumer(jsm, spec)
    expect((await ensureConsumer(jsm, { ...spec, filterSubject: eventsFilter('b') })).config.filter_subject).toBe(
      eventsFilter('b'),
    )
    const all = await ensureConsumer(jsm, { ...spec, filterSubject: undefined })
    expect([undefined, '', '>']).toContain(all.config.filter_subject)
    // Ensuring the same thing again is a no-op rather than an update.
    const again = await ensureConsumer(jsm, { ...spec, filterSubject: undefined })
    expect(again.created).toEqual(all.created)
  })

  it('creates an unfiltered durable', async () => {
    const info = await ensureConsumer(jsm, { stream: EVENTS_STREAM, durable: 'ens_all' })
    expect(info.config.filter_subject ?? '').toBe('')
  })
})

// Tests are independent (own kind, own durable), so they run side by side.
describe.concurrent('runConsumer', () => {
  it('hands messages over one at a time in stream order', async () => {
    for (let i = 0; i < 20; i++) await put('order', { i })
    const seen: number[] = []
    let inFlight = 0
    let maxInFlight = 0
    const c = start<{ i: number }>('order', async (d) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await sleep(2)
      seen.push(d.data.i)
      inFlight--
      d.ack()
    }, { batch: 5 })
    await waitFor(() => seen.length === 20)
    await c.stop()
    expect(seen).toEqual([...Array(20).keys()])
    expect(maxInFlight).toBe(1)
  })

  it('redelivers a nak-ed message with redelivered=true', async () => {
    await put('nak', { v: 1 })
    const got: boolean[] = []
    const c = start<{ v: number }>('nak', async (d) => {
      got.push(d.redelivered)
      if (d.redelivered) d.ack()
      else d.nak()
    })
    await waitFor(() => got.length === 2)
    await c.stop()
    expect(got).toEqual([false, true])
  })

  it('redelivers a message the handler never settles once ack_wait passes', async () => {
    await put('noack', { v: 1 })
    const got: boolean[] = []
    const c = start<{ v: number }>('noack', async (d) => {
      got.push(d.redelivered)
      if (d.redelivered) d.ack()
    }, { ackWaitMs: 500 })
    await waitFor(() => got.length === 2)
    await c.stop()
    expect(got).toEqual([false, true])
  })

  it('naks with a delay when the handler throws, then redelivers', async () => {
    await put('throw', { v: 1 })
    const times: number[] = []
    const c = start<{ v: number }>('throw', async (d) => {
      times.push(Date.now())
      if (times.length === 1) throw new Error('boom')
      d.ack()
    })
    await waitFor(() => times.length === 2)
    await c.stop()
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900)
    expect(logs.some((m) => m.includes('handler failed') && m.includes('boom'))).toBe(true)
  })

  it('sends a non-JSON message to the dead letters and keeps the stream flowing', async () => {
    const poisonSeq = (await js.publish(eventSubject('poison', 'd1'), new TextEncoder().encode('not json {'))).seq
    await put('poison', { ok: true })
    const got: unknown[] = []
    const c = start<unknown>('poison', async (d) => {
      got.push(d.data)
      d.ack()
    })
    await waitFor(() => got.length === 1)
    await sleep(200)
    await c.stop()
    expect(got).toEqual([{ ok: true }])
    expect(logs.some((m) => m.includes('dead letter') && m.includes(`non-JSON message seq ${poisonSeq}`))).toBe(true)
    const letter = dead.find((d) => d.seq === poisonSeq)!
    expect(new TextDecoder().decode(letter.data)).toBe('not json {')
    expect(letter).toMatchObject({ stream: EVENTS_STREAM, consumer: 't_poison', tries: 1 })
    const info = await jsm.consumers.info(EVENTS_STREAM, 't_poison')
    expect(info.num_ack_pending).toBe(0)
    expect(info.num_pending).toBe(0)
  })

  it('recreates its consumer when it is deleted from under it', async () => {
    const got: number[] = []
    const c = start<{ v: number }>('deleted', async (d) => {
      got.push(d.data.v)
      d.ack()
    })
    await put('deleted', { v: 1 })
    await waitFor(() => got.length === 1)
    await jsm.consumers.delete(EVENTS_STREAM, 't_deleted')
    await put('deleted', { v: 2 })
    // The new consumer starts from the beginning again: v=1 comes back, then v=2.
    await waitFor(() => got.includes(2), 5000, 'v=2')
    await c.stop()
    expect(logs.some((m) => m.includes('t_deleted') && m.includes('retrying'))).toBe(true)
  })

  it('stop returns prefetched messages right away instead of after ack_wait', async () => {
    for (let i = 0; i < 5; i++) await put('stop', { i })
    const first: number[] = []
    let release = (): void => {}
    const c1 = start<{ i: number }>('stop', async (d) => {
      first.push(d.data.i)
      d.ack()
      await new Promise<void>((r) => (release = r))
    }, { batch: 5, ackWaitMs: 60_000 })
    await waitFor(() => first.length === 1)
    const stopping = c1.stop()
    release()
    await stopping
    const second: number[] = []
    const c2 = start<{ i: number }>('stop', async (d) => {
      second.push(d.data.i)
      d.ack()
    }, { ackWaitMs: 60_000 })
    await waitFor(() => second.length === 4, 3000, 'rest of the messages')
    await c2.stop()
    expect(first).toEqual([0])
    expect(second).toEqual([1, 2, 3, 4])
  })
})

describe('runBatchConsumer', () => {
  it('hands back what a pull that failed under a slow handler had pulled: every message handled long before ack_wait', async () => {
    for (let i = 0; i < 25; i++) await put('slow', { i })
    const got: number[] = []
    const deps = { js, jsm, log: (m: string) => logs.push(m), isClosed: () => nc.isClosed() }
    const spec = { stream: EVENTS_STREAM, durable: 't_slow', filterSubject: eventsFilter('slow') }
    const c = runBatchConsumer<{ i: number }>(deps, spec, async (batch) => {
      // Longer than the pull (1 s) and two of its heartbeats: the server closed it meanwhile.
      await sleep(1600)
      for (const d of batch) {
        got.push(d.data.i)
        d.ack()
      }
    }, { batch: 10, ackWaitMs: 60_000 })
    await waitFor(() => got.length === 25, 15_000, 'all 25, long before ack_wait')
    await c.stop()
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i))
  }, 30_000)
})

import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeLoopbackPort } from './natsServer.ts'
import { Bus, type Delivery } from './bus.ts'
import { DEAD_HEADERS, RECEIVED_HEADER } from './headers.ts'
import { DEAD_STREAM, EVENTS_STREAM } from './streams.ts'
import { eventSubject, eventsFilter } from './subjects.ts'
import { sleep, startTestServer, waitFor, type TestServer } from './testdata/harness.ts'

let server: TestServer
const logs: string[] = []
const log = (m: string): void => void logs.push(m)

beforeAll(async () => {
  server = await startTestServer('bus')
})

afterAll(async () => {
  await server?.dispose()
})

interface Ev {
  n: number
}

// collect runs a consumer that acks everything and records what it saw.
function collect(bus: Bus, kind: string, durable: string) {
  const seen: Delivery<Ev>[] = []
  const c = bus.consume<Ev>(EVENTS_STREAM, durable, eventsFilter(kind), async (d) => {
    seen.push(d)
    d.ack()
  })
  return { seen, ns: () => seen.map((d) => d.data.n), stop: () => c.stop() }
}

async function streamMessages(url: string, kind: string): Promise<number> {
  const nc = await connect({ servers: url })
  try {
    const jsm = await jetstreamManager(nc)
    const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: eventsFilter(kind) })
    return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0)
  } finally {
    await nc.close()
  }
}

describe('Bus.publish', () => {
  it('stores a msgId once and reports the second publish as a duplicate', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-dedup', log })
    try {
      const a = await bus.publish(eventSubject('dedup', '市局'), { n: 1 }, 'msg-1')
      const b = await bus.publish(eventSubject('dedup', '市局'), { n: 1 }, 'msg-1')
      expect(a.duplicate).toBe(false)
      expect(b).toEqual({ seq: a.seq, duplicate: true })
      expect(await streamMessages(server.url, 'dedup')).toBe(1)
    } finally {
      await bus.close()
    }
  })

  it('waits out a short server outage instead of failing', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-outage', log })
    try {
      await server.stop()
      const pending = bus.publish(eventSubject('outage', 'd'), { n: 1 }, 'outage-1')
      await sleep(300)
      await server.start()
      expect((await pending).duplicate).toBe(false)
      expect(await streamMessages(server.url, 'outage')).toBe(1)
    } finally {
      await bus.close()
    }
  })
})

describe('Bus.connect', () => {
  it('waits for a server started late, saying so on each try', async () => {
    const late = await startTestServer('bus-late')
    const port = late.port
    await late.stop()
    const tries: string[] = []
    const connecting = Bus.connect({ url: `nats://127.0.0.1:${port}`, name: 'test-late', log: (m) => tries.push(m) })
    await waitFor(() => tries.length >= 2, 5000, 'two tries')
    expect(tries[0]).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+ \(attempt 1: .*\); trying again in 250 ms/)
    await late.start()
    const bus = await connecting
    try {
      expect(bus.connected).toBe(true)
      expect((await bus.publish(eventSubject('late', 'd'), { n: 1 }, 'late-1')).duplicate).toBe(false)
    } finally {
      await bus.close()
      await late.dispose()
    }
  }, 20_000)

  it('gives up when its signal is aborted', async () => {
    const ac = new AbortController()
    const connecting = Bus.connect({ url: `nats://127.0.0.1:${await freeLoopbackPort()}`, name: 'test-abort', log: () => {}, signal: ac.signal })
    setTimeout(() => ac.abort(), 300)
    await expect(connecting).rejects.toThrow()
  })
})

describe('Bus.connection', () => {
  it('says since when the connection is down and why, and up again once it is back', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-connection', log })
    try {
      expect(bus.connection).toEqual({ up: true })
      const t0 = Date.now()
      await server.stop()
      await waitFor(() => !bus.connected, 10_000, 'the disconnect')
      const down = bus.connection
      expect(down).toEqual({ up: false, since: expect.any(Number), error: expect.stringMatching(/^disconnected from /) })
      expect(down.up === false && down.since).toBeGreaterThanOrEqual(t0)
      await sleep(100)
      // Since the loss, not since the question.
      expect(bus.connection).toEqual(down)
      await server.start()
      await waitFor(() => bus.connected, 15_000, 'the reconnect')
      expect(bus.connection).toEqual({ up: true })
    } finally {
      await bus.close()
    }
    expect(bus.connection).toEqual({ up: false, since: expect.any(Number), error: 'the connection is closed' })
  })
})

describe('Bus.consumeBatches', () => {
  it('hands over what is waiting in batches, in stream order, with the headers and delivery info', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-batches', log })
    try {
      const stamp = '2026-10-13T01:00:00.000Z'
      for (let n = 0; n < 25; n++) await bus.publish(eventSubject('batches', 'd'), { n }, `b-${n}`, { headers: { [RECEIVED_HEADER]: stamp } })
      const batches: Delivery<Ev>[][] = []
      const c = bus.consumeBatches<Ev>(EVENTS_STREAM, 'batches', eventsFilter('batches'), async (batch) => {
        batches.push(batch)
        for (const d of batch) d.ack()
      }, { batch: 10 })
      await waitFor(() => batches.flat().length === 25)
      await c.stop()
      expect(batches.map((b) => b.length)).toEqual([10, 10, 5])
      const all = batches.flat()
      expect(all.map((d) => d.data.n)).toEqual([...Array(25).keys()])
      expect(all.map((d) => d.pending)).toEqual([...Array(25).keys()].map((i) => 24 - i))
      expect(all.every((d) => d.tries === 1 && d.receivedAt === Date.parse(stamp))).toBe(true)
      expect(await bus.backlog(EVENTS_STREAM, 'batches')).toBe(0)
    } finally {
      await bus.close()
    }
  })

  it('stamps a message without Jiancha-Received with JetStream\'s own time', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-nostamp', log })
    try {
      const before = Date.now()
      await bus.publish(eventSubject('nostamp', 'd'), { n: 1 }, 'ns-1')
      let got: Delivery<Ev> | undefined
      const c = bus.consumeBatches<Ev>(EVENTS_STREAM, 'nostamp', eventsFilter('nostamp'), async ([d]) => {
        got = d
        d!.ack()
      })
      await waitFor(() => got !== undefined)
      await c.stop()
      expect(got!.receivedAt).toBeGreaterThanOrEqual(before - 5)
      expect(got!.receivedAt).toBeLessThanOrEqual(Date.now())
      expect(await bus.receivedAt(EVENTS_STREAM, got!.seq)).toBe(got!.receivedAt)
    } finally {
      await bus.close()
    }
  })

  it('keeps a dead letter with the message, its error, the consumer and the tries, and counts it', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-dead', log })
    try {
      const before = await bus.deadLetters(EVENTS_STREAM)
      await bus.publish(eventSubject('dead', 'd'), { n: 1 }, 'dead-1', { headers: { [RECEIVED_HEADER]: '2026-10-13T01:00:00.000Z' } })
      await bus.publish(eventSubject('dead', 'd'), { n: 2 }, 'dead-2')
      const seen: number[] = []
      const c = bus.consumeBatches<Ev>(EVENTS_STREAM, 'dead', eventsFilter('dead'), async (batch) => {
        for (const d of batch) {
          seen.push(d.data.n)
          if (d.data.n === 2) d.ack()
          else if (d.tries < 2) d.nak()
          else await d.deadLetter('the database refused it:\nline two')
        }
      })
      await waitFor(() => seen.length === 3)
      await c.stop()
      expect(seen).toEqual([1, 2, 1])
      // Given up by the handler, it is the handler's to log (once, knowing what it was), not the bus's too.
      expect(logs.filter((m) => m.includes('dead letter'))).toEqual([])
      expect(await bus.deadLetters(EVENTS_STREAM)).toBe(before + 1)
      expect(await bus.deadLetters()).toBeGreaterThanOrEqual(before + 1)
      const nc = await connect({ servers: server.url })
      try {
        const m = await (await jetstreamManager(nc)).streams.getMessage(DEAD_STREAM, { last_by_subj: 'jiancha.dead.JIANCHA_EVENTS' })
        expect(JSON.parse(new TextDecoder().decode(m!.data))).toEqual({ n: 1 })
        expect(m!.header.get(DEAD_HEADERS.error)).toBe('the database refused it: line two')
        expect(m!.header.get(DEAD_HEADERS.consumer)).toBe('dead')
        expect(m!.header.get(DEAD_HEADERS.tries)).toBe('2')
        expect(m!.header.get(DEAD_HEADERS.subject)).toBe(eventSubject('dead', 'd'))
        expect(m!.header.get(RECEIVED_HEADER)).toBe('2026-10-13T01:00:00.000Z')
      } finally {
        await nc.close()
      }
      expect(await bus.backlog(EVENTS_STREAM, 'dead')).toBe(0)
    } finally {
      await bus.close()
    }
  })
})

describe('Bus.consume durability', () => {
  it('does not redeliver acked messages to the same durable after close and reconnect', async () => {
    const bus1 = await Bus.connect({ url: server.url, name: 'test-durable-1', log })
    for (const n of [1, 2, 3]) await bus1.publish(eventSubject('dur', 'd'), { n }, `dur-${n}`)
    const c1 = collect(bus1, 'dur', 'dur')
    await waitFor(() => c1.seen.length === 3)
    await bus1.close()

    const bus2 = await Bus.connect({ url: server.url, name: 'test-durable-2', log })
    try {
      await bus2.publish(eventSubject('dur', 'd'), { n: 4 }, 'dur-4')
      const c2 = collect(bus2, 'dur', 'dur')
      await waitFor(() => c2.seen.length >= 1)
      await sleep(300)
      expect(c2.ns()).toEqual([4])
      expect(c2.seen[0]!.redelivered).toBe(false)
    } finally {
      await bus2.close()
    }
  })

  it('keeps consuming through a nats-server restart and keeps acks on disk', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-restart', log })
    const c = collect(bus, 'rs', 'rs')
    for (const n of [1, 2]) await bus.publish(eventSubject('rs', 'd'), { n }, `rs-${n}`)
    await waitFor(() => c.seen.length === 2)

    // Same port and store: the connection reconnects by itself and the loop resumes.
    await server.restart()
    await bus.publish(eventSubject('rs', 'd'), { n: 3 }, 'rs-3')
    await waitFor(() => c.seen.length === 3, 10_000, 'message after restart')
    expect(c.ns()).toEqual([1, 2, 3])
    expect(c.seen.every((d) => !d.redelivered)).toBe(true)
    await bus.close()

    // And a fresh client on the same durable only sees what came after.
    await server.restart()
    const bus2 = await Bus.connect({ url: server.url, name: 'test-restart-2', log })
    try {
      await bus2.publish(eventSubject('rs', 'd'), { n: 4 }, 'rs-4')
      const c2 = collect(bus2, 'rs', 'rs')
      await waitFor(() => c2.seen.length >= 1)
      await sleep(300)
      expect(c2.ns()).toEqual([4])
      // The de-duplication window survives the restart too.
      expect((await bus2.publish(eventSubject('rs', 'd'), { n: 3 }, 'rs-3')).duplicate).toBe(true)
    } finally {
      await bus2.close()
    }
  })
})

describe('Bus live fan-out', () => {
  it('delivers live messages to subscribers on other connections, and stops after unsubscribe', async () => {
    const pub = await Bus.connect({ url: server.url, name: 'test-live-pub', log })
    const sub = await Bus.connect({ url: server.url, name: 'test-live-sub', log })
    try {
      const got: unknown[] = []
      const s = sub.subscribeLive<{ kpi: number }>('kpi', (d) => got.push(d))
      await sub.flush()
      pub.publishLive('kpi', { kpi: 1 })
      pub.publishLive('kpi', { kpi: 2 })
      pub.publishLive('other', { kpi: 99 })
      await waitFor(() => got.length === 2)
      s.unsubscribe()
      await sub.flush()
      pub.publishLive('kpi', { kpi: 3 })
      await pub.flush()
      await sleep(100)
      expect(got).toEqual([{ kpi: 1 }, { kpi: 2 }])
    } finally {
      await Promise.all([pub.close(), sub.close()])
    }
  })

  it('is not persisted', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-live-nostore', log })
    try {
      bus.publishLive('kpi', { kpi: 1 })
      await bus.flush()
      const nc = await connect({ servers: server.url })
      const jsm = await jetstreamManager(nc)
      const names = await jsm.streams.find('jiancha.live.kpi').catch(() => null)
      await nc.close()
      expect(names).toBeNull()
    } finally {
      await bus.close()
    }
  })
})

describe('Bus.close', () => {
  it('is idempotent and stops running consumers', async () => {
    const bus = await Bus.connect({ url: server.url, name: 'test-close', log })
    collect(bus, 'close', 'close')
    await Promise.all([bus.close(), bus.close()])
    await bus.close()
  })
})

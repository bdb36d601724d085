import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus, EVENTS_STREAM } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { PermanentError } from './ingest.ts'
import { busPublisher } from './publisher.ts'

const ev = (id: string, attrs: Record<string, unknown> = {}): CaseEvent => ({ id, source: 'hall', kind: 'approval', type: 'resumed', caseId: 'A-1', dept: 'market', at: '2026-11-23T10:00:00+08:00', attrs })

describe('busPublisher', () => {
  let nats: TestServer
  let bus: Bus
  beforeAll(async () => {
    nats = await startTestServer('publisher')
    bus = await Bus.connect({ url: nats.url, name: 'publisher-test', log: () => {} })
  })
  afterAll(async () => {
    await bus?.close()
    await nats?.dispose()
  })

  it('stores an event once by its source and id, stamped with when it was taken', async () => {
    const publish = busPublisher(bus)
    const taken = Date.parse('2026-10-13T09:00:00+08:00') // the platform clock, which may be the demo's
    expect(await publish(ev('p1'), taken)).toMatchObject({ duplicate: false })
    expect(await publish(ev('p1'), taken)).toMatchObject({ duplicate: true })
    // Another source's event with the same id is another event.
    const other = await publish({ ...ev('p1'), source: 'other' }, taken)
    expect(other).toMatchObject({ duplicate: false })
    expect(await bus.receivedAt(EVENTS_STREAM, other.seq)).toBe(taken)
  })

  it('turns an event larger than the bus takes into a permanent refusal that names the sizes', async () => {
    const err = await busPublisher(bus)(ev('p2', { scan: 'x'.repeat(bus.maxPayload) }), Date.now()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PermanentError)
    expect((err as Error).message).toMatch(/is \d+ bytes as JSON; at most \d+ fit on the bus/)
  })

  it('gives up within its budget while the server is down', async () => {
    await nats.stop()
    try {
      const t0 = Date.now()
      await expect(busPublisher(bus, 500)(ev('p3'), Date.now())).rejects.not.toBeInstanceOf(PermanentError)
      expect(Date.now() - t0).toBeLessThan(2000)
    } finally {
      await nats.start()
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus } from './bus.ts'
import { ALERTS_STREAM, EVENTS_STREAM } from './streams.ts'
import { eventSubject } from './subjects.ts'
import { putDeadLetter } from './testdata/deadLetter.ts'
import { startTestServer, type TestServer } from './testdata/harness.ts'

describe('recentDeadLetters', () => {
  let server: TestServer
  let bus: Bus

  beforeAll(async () => {
    server = await startTestServer('dead-letters')
    bus = await Bus.connect({ url: server.url, name: 'test-dead-letters', log: () => {} })
  })
  afterAll(async () => {
    await bus?.close()
    await server?.dispose()
  })

  const event = (seq: number) => ({
    stream: EVENTS_STREAM, seq, subject: eventSubject('approval', 'market'), consumer: 'rules', tries: 5,
    error: `the database refused it: row ${seq}`, data: { id: `e${seq}`, source: 'hall', attrs: { applicant: '张三' } },
  })

  it('has none on a stream without dead letters', async () => {
    expect(await bus.recentDeadLetters(EVENTS_STREAM, 5)).toEqual([])
  })

  it('reads the newest of one stream, newest first, past the other stream\'s, without the content', async () => {
    const t0 = Date.now()
    for (const seq of [11, 12, 13]) await putDeadLetter(bus, event(seq))
    // The alerts' dead letters lie between the events' on the same dead-letter stream.
    await putDeadLetter(bus, { stream: ALERTS_STREAM, seq: 7, subject: 'jiancha.alerts.red.market', consumer: 'alerts', tries: 1, error: 'bad card', data: 'not an object' })
    await putDeadLetter(bus, event(14))
    const got = await bus.recentDeadLetters(EVENTS_STREAM, 3)
    expect(got.map((d) => d.seq)).toEqual([14, 13, 12])
    expect(got[0]).toEqual({
      stream: EVENTS_STREAM, seq: 14, subject: 'jiancha.events.approval.market', consumer: 'rules', tries: 5,
      error: 'the database refused it: row 14', at: expect.any(Number), source: 'hall', id: 'e14',
    })
    expect(got[0]!.at).toBeGreaterThanOrEqual(t0 - 1000)
    expect(JSON.stringify(got)).not.toContain('张三')
    expect((await bus.recentDeadLetters(EVENTS_STREAM, 10)).map((d) => d.seq)).toEqual([14, 13, 12, 11])
    expect(await bus.recentDeadLetters(ALERTS_STREAM, 10)).toEqual([expect.objectContaining({ seq: 7, consumer: 'alerts', source: null, id: null })])
    expect(await bus.deadLetters(EVENTS_STREAM)).toBe(4)
    expect(await bus.recentDeadLetters(EVENTS_STREAM, 0)).toEqual([])
  })

  it('gives up walking back after a bounded number of reads', async () => {
    // 40 dead letters of the alerts between two of the events: one asked for reads at most 30 back.
    await putDeadLetter(bus, event(20))
    for (let i = 0; i < 40; i++) await putDeadLetter(bus, { stream: ALERTS_STREAM, seq: 100 + i, subject: 'jiancha.alerts.red.market', consumer: 'alerts', tries: 1, error: 'x', data: {} })
    await putDeadLetter(bus, event(21))
    expect((await bus.recentDeadLetters(EVENTS_STREAM, 2)).map((d) => d.seq)).toEqual([21])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { DemoClock } from '../common/time/index.ts'
import { eventsBetween } from './scenario.ts'
import { startSimulator, type Simulator } from './simulator.ts'
import { startFakeCollector, type FakeCollector, type FakeCollectorOptions } from './testdata/fakeCollector.ts'

const DAY = 86_400_000
const simStart = Date.parse('2026-03-02T00:00:00+08:00')

/** A clock the test moves by hand. */
const manualClock = (t: number) => ({ t, now() { return this.t } })

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

let fake: FakeCollector | undefined
let sim: Simulator | undefined
afterEach(async () => {
  await sim?.stop()
  await fake?.close()
  sim = fake = undefined
})

/** collector starts a fake that also records any event sent ahead of the clock. */
async function collector(clock: { now(): number }, opts: FakeCollectorOptions = {}) {
  const early: string[] = []
  const f = await startFakeCollector({
    ...opts,
    script: (n, batch) => {
      for (const e of batch) if (Date.parse(e.at) > clock.now()) early.push(e.id)
      return opts.script?.(n, batch)
    },
  })
  return { f, early }
}

describe('startSimulator', () => {
  it('sends what happened up to the clock, and resumes after a restart without gaps or repeats', async () => {
    const clock = manualClock(simStart)
    const { f, early } = await collector(clock)
    fake = f
    const base = { url: f.url, token: 'demo', clock, seed: 9, simStart, ratePerDay: 80, tickMs: 5, log: () => {} }
    sim = startSimulator(base)
    for (const d of [0.3, 1, 2.5, 4]) {
      clock.t = simStart + d * DAY
      await waitFor(() => sim!.stats().simNow === clock.t)
    }
    await sim.stop()
    const resumeFrom = sim.stats().simNow
    expect(sim.stats()).toMatchObject({ sent: f.stored.length, accepted: f.stored.length, duplicate: 0, rejected: 0, failed: 0 })

    sim = startSimulator({ ...base, resumeFrom })
    clock.t = simStart + 7 * DAY
    await waitFor(() => sim!.stats().simNow === clock.t)
    expect(f.stored).toEqual(eventsBetween(9, simStart, 80, simStart, clock.t).map((e) => e.id))
    expect(f.stored.length).toBeGreaterThan(500)
    expect(early).toEqual([])
  })

  it('retries while the collector answers 503, then delivers everything', async () => {
    const clock = manualClock(simStart + 2 * DAY)
    const { f } = await collector(clock, { script: (n) => (n === 1 ? { status: 503 } : undefined) })
    fake = f
    const logs: string[] = []
    sim = startSimulator({ url: f.url, token: 'demo', clock, simStart, tickMs: 5, retryBaseMs: 20, log: (m) => logs.push(m) })
    await waitFor(() => sim!.stats().simNow === clock.t)
    expect(f.stored).toEqual(eventsBetween(1, simStart, 150, simStart, clock.t).map((e) => e.id))
    expect(sim.stats().accepted).toBe(f.stored.length)
    expect(logs.some((m) => m.includes('HTTP 503'))).toBe(true)
  })

  it('never overlaps ticks, even when the collector is slow', async () => {
    const clock = manualClock(simStart)
    const { f } = await collector(clock, { delayMs: 40 })
    fake = f
    sim = startSimulator({ url: f.url, token: 'demo', clock, simStart, tickMs: 1, log: () => {} })
    for (let i = 1; i <= 10; i++) {
      clock.t = simStart + i * 0.2 * DAY
      await new Promise((r) => setTimeout(r, 15))
    }
    await waitFor(() => sim!.stats().simNow === clock.t)
    expect(f.maxInFlight).toBe(1)
    expect(f.batches.length).toBeGreaterThan(1)
  })

  it('runs on a DemoClock and stops promptly even while the collector is down', async () => {
    const clock = new DemoClock(Date.now() - 3 * DAY, 3 * 86_400)
    const { f, early } = await collector(clock, { script: (n) => (n > 1 ? { status: 503 } : undefined) })
    fake = f
    sim = startSimulator({ url: f.url, token: 'demo', clock, simStart: Date.now() - 3 * DAY, tickMs: 20, retryBaseMs: 5_000, log: () => {} })
    await waitFor(() => f.batches.length >= 2)
    const t0 = Date.now()
    await sim.stop()
    expect(Date.now() - t0).toBeLessThan(1_000)
    expect(early).toEqual([])
    // The undelivered batch lies after simNow, so a run resumed from simNow sends it again.
    expect(sim.stats().simNow).toBeLessThan(Date.parse(f.batches[1]![0]!.at))
    sim = undefined
  })
})

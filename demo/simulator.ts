/**
 * startSimulator runs the demo city live: every tick it sends the scenario's events
 * that happened since the last tick, up to the clock's now and never beyond it. With
 * a DemoClock the city's days pass in seconds; with wall time it runs in real time.
 */
import type { Clock } from '../common/time/index.ts'
import { addCounts, sendEvents, zeroCounts, type SendCounts } from './sender.ts'
import { formatLocal } from './shanghai.ts'
import { EventStream } from './stream.ts'

/** SimulatorOptions configures one simulator run. */
export interface SimulatorOptions {
  url: string
  token: string
  clock: Clock
  seed?: number
  /** When case 0 arrives (epoch ms). */
  simStart: number
  /** Cases arriving per simulated day (default 150). */
  ratePerDay?: number
  /** Wall-clock pause between ticks (default 1000 ms). */
  tickMs?: number
  /** The `simNow` a previous run reached: continue after it instead of from simStart. */
  resumeFrom?: number
  log?: (m: string) => void
  /** First retry delay when the collector is unavailable (default 500 ms). */
  retryBaseMs?: number
}

/** SimulatorStats is what a run has sent so far and the simulated instant it has reached. */
export interface SimulatorStats extends SendCounts {
  /** Every event with at ≤ simNow has been answered by the collector; pass it as resumeFrom. */
  simNow: number
}

/** Simulator is a running simulator. */
export interface Simulator {
  /** stop ends the run, abandoning a send in progress, and resolves once it has stopped. */
  stop(): Promise<void>
  stats(): SimulatorStats
}

/** SUMMARY_EVERY is how many ticks pass between progress lines in the log. */
const SUMMARY_EVERY = 60

/** startSimulator starts sending and returns a handle to stop it and read its counts. */
export function startSimulator(opts: SimulatorOptions): Simulator {
  const seed = opts.seed ?? 1
  const rate = opts.ratePerDay ?? 150
  const tickMs = opts.tickMs ?? 1000
  const log = opts.log ?? ((m: string) => console.log(m))
  const counts = zeroCounts()
  let simNow = opts.resumeFrom ?? opts.simStart
  let stream = new EventStream(seed, opts.simStart, rate, simNow)
  const abort = new AbortController()
  log(`simulator: seed ${seed}, ${rate} cases/day, from ${formatLocal(simNow)} to ${opts.url}`)

  const tick = async (): Promise<void> => {
    // Read the clock once: nothing after this instant may be sent in this tick.
    const now = opts.clock.now()
    if (!(now > simNow)) return
    const events = stream.advance(now)
    if (events.length) {
      await sendEvents(events, {
        url: opts.url, token: opts.token, signal: abort.signal, log, retryBaseMs: opts.retryBaseMs,
        onBatch: (c) => addCounts(counts, c),
      })
    }
    simNow = now
  }

  const run = (async () => {
    // One tick at a time: the next starts only after the previous send has finished.
    for (let n = 1; !abort.signal.aborted; n++) {
      try {
        await tick()
      } catch (e) {
        if (abort.signal.aborted) break
        log(`simulator: tick failed: ${(e as Error).stack ?? String(e)}`)
        // Regenerate from the last instant fully answered, so the failed window is sent again.
        stream = new EventStream(seed, opts.simStart, rate, simNow)
      }
      if (n % SUMMARY_EVERY === 0) log(summary(counts, simNow))
      await sleepUnlessAborted(tickMs, abort.signal)
    }
  })()

  return {
    async stop() {
      abort.abort(new Error('simulator stopped'))
      await run
      log(summary(counts, simNow))
    },
    stats: () => ({ ...counts, simNow }),
  }
}

function summary(c: SendCounts, simNow: number): string {
  return `simulator: at ${formatLocal(simNow)}: sent ${c.sent} (accepted ${c.accepted}, duplicate ${c.duplicate}, rejected ${c.rejected}, failed ${c.failed})`
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

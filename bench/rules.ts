/**
 * `npm run bench:rules`: the rule engine alone (pure code, no I/O) on synthetic city
 * data, then `jiancha replay` end to end on the same file. Each is measured RUNS times
 * and the median is reported, since other work may share the machine. Prints events/s,
 * peak RSS, the cases and events held, replay's time per phase, and the goals.
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TimedEvent } from '../common/contract/index.ts'
import { defaultContext, driveReplay, RuleEngine } from '../rules/index.ts'
import { syntheticCity } from './synthetic.ts'

const UNTIL = '2026-12-31T00:00:00+08:00'
const RUNS = 3
const GOAL = { eventsPerSecond: 300_000, replaySeconds: 10, replayMB: 1024 }

/** benchRules runs both measurements and prints their figures. */
export async function benchRules(opts: { events: number; cases: number }): Promise<number> {
  process.stdout.write(`generating ${opts.events} events over ${opts.cases} cases…\n`)
  const events = syntheticCity(opts.cases, opts.events)
  // The same events replay sees: in event time, up to the end of its virtual clock.
  const until = Date.parse(UNTIL)
  const timed: TimedEvent[] = events.map((ev, i) => ({ ev, t: Date.parse(ev.at), seq: i + 1 })).filter((e) => e.t <= until)
  timed.sort((a, b) => a.t - b.t || a.seq - b.seq)

  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`
  const engineRuns: EngineRun[] = []
  for (let i = 0; i < RUNS; i++) engineRuns.push(runEngine(timed, until))
  const e = median(engineRuns, (r) => r.seconds)
  const rate = Math.round(timed.length / e.seconds)
  process.stdout.write(
    `engine:  ${timed.length} events in ${e.seconds.toFixed(2)} s = ${rate} events/s (median of ${RUNS}: ${list(engineRuns.map((r) => r.seconds))} s); ` +
      `${e.fires} cards; ${e.cases} cases held, ${e.events} events held after compaction; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
  )

  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-'))
  try {
    const file = join(dir, 'city.jsonl')
    await writeLines(file, events)
    const replayRuns: ReplayRun[] = []
    for (let i = 0; i < RUNS; i++) replayRuns.push(runReplay(file))
    const r = median(replayRuns, (x) => x.seconds)
    const peak = Math.max(...replayRuns.map((x) => x.peakMB))
    process.stdout.write(
      `replay:  end to end ${r.seconds.toFixed(2)} s (median of ${RUNS}: ${list(replayRuns.map((x) => x.seconds))} s; process start, read, validate, sort, rules, print); ` +
        `${r.alerts} alerts printed; peak RSS ${peak} MB; exit ${r.status}\n` +
        `replay:  phases of that run: ${r.phases}\n`,
    )
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met')
    process.stdout.write(
      `goals:   engine ≥ ${GOAL.eventsPerSecond} events/s (${met(rate >= GOAL.eventsPerSecond)}); ` +
        `replay of 1M events ≤ ${GOAL.replaySeconds} s (${met(r.seconds <= GOAL.replaySeconds)}) with ≤ ${GOAL.replayMB} MB RSS (${met(peak <= GOAL.replayMB)})\n`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return 0
}

interface EngineRun {
  seconds: number
  fires: number
  cases: number
  events: number
}

/**
 * runEngine feeds the events to a fresh engine through replay's driver and times it. The
 * heap is collected first when node runs with --expose-gc (npm run bench:rules does),
 * so that a run does not pay for the garbage of the generator or of the run before.
 */
function runEngine(timed: readonly TimedEvent[], until: number): EngineRun {
  ;(globalThis as { gc?: () => void }).gc?.()
  const engine = new RuleEngine(defaultContext())
  const t0 = performance.now()
  const fires = driveReplay(engine, timed, until).length
  const seconds = (performance.now() - t0) / 1000
  return { seconds, fires, cases: engine.caseCount, events: engine.eventCount() }
}

interface ReplayRun {
  seconds: number
  peakMB: number
  alerts: number
  status: number | null
  phases: string
}

/** runReplay runs `jiancha replay --stats` on the file in a new process and reads its figures. */
function runReplay(file: string): ReplayRun {
  const bin = fileURLToPath(new URL('../bin/jiancha.js', import.meta.url))
  const t0 = performance.now()
  const r = spawnSync('node', [bin, 'replay', file, '--until', UNTIL, '--stats'], { encoding: 'utf8', maxBuffer: 1 << 30 })
  const seconds = (performance.now() - t0) / 1000
  return {
    seconds,
    peakMB: Number(/peak RSS (\d+) MB/.exec(r.stderr)?.[1] ?? NaN),
    alerts: r.stdout.split('\n').filter(Boolean).length,
    status: r.status,
    phases: /phases: (.*)/.exec(r.stderr)?.[1] ?? `(none: ${r.stderr.trim().slice(0, 200)})`,
  }
}

function writeLines(file: string, events: readonly object[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const w = createWriteStream(file)
    w.on('error', reject)
    for (const ev of events) w.write(`${JSON.stringify(ev)}\n`)
    w.end(resolve)
  })
}

/** median returns the run with the median value (the upper one of an even count). */
function median<T>(runs: readonly T[], value: (r: T) => number): T {
  return [...runs].sort((a, b) => value(a) - value(b))[Math.floor(runs.length / 2)]!
}

function list(xs: readonly number[]): string {
  return xs.map((x) => x.toFixed(2)).join(', ')
}

/**
 * `npm run bench:rules`: the rule engine alone (pure code, no I/O) on synthetic city
 * data, then `jiancha replay` end to end on the same file. Prints events/s, peak RSS
 * and the number of cases held.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TimedEvent } from '../common/contract/event.ts'
import { defaultContext } from '../rules/context.ts'
import { RuleEngine } from '../rules/engine.ts'
import { syntheticCity } from './synthetic.ts'

const UNTIL = '2026-12-31T00:00:00+08:00'

/** benchRules runs both measurements and prints their figures. */
export async function benchRules(opts: { events: number; cases: number }): Promise<number> {
  process.stdout.write(`generating ${opts.events} events over ${opts.cases} cases…\n`)
  const events = syntheticCity(opts.cases, opts.events)
  const timed: TimedEvent[] = events.map((ev, i) => ({ ev, t: Date.parse(ev.at), seq: i }))
  timed.sort((a, b) => a.t - b.t || a.seq - b.seq)

  const engine = new RuleEngine(defaultContext())
  const rssBefore = process.memoryUsage().rss
  let fires = 0
  const t0 = performance.now()
  for (const te of timed) {
    fires += engine.advance(te.t).length
    fires += engine.ingest(te).length
  }
  fires += engine.advance(Date.parse(UNTIL)).length
  const s = (performance.now() - t0) / 1000
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`
  process.stdout.write(
    `engine:  ${timed.length} events in ${s.toFixed(2)} s = ${Math.round(timed.length / s)} events/s; ${fires} cards; ${engine.caseCount} cases held; RSS ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
  )

  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-'))
  const file = join(dir, 'city.jsonl')
  await new Promise<void>((resolve, reject) => {
    const w = createWriteStream(file)
    w.on('error', reject)
    for (const ev of events) w.write(`${JSON.stringify(ev)}\n`)
    w.end(resolve)
  })
  const bin = fileURLToPath(new URL('../bin/jiancha.js', import.meta.url))
  const r0 = performance.now()
  const out = execFileSync('node', [bin, 'replay', file, '--until', UNTIL, '--stats'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 })
  const rs = (performance.now() - r0) / 1000
  process.stdout.write(`replay:  end to end ${rs.toFixed(2)} s (process start, read, validate, sort, rules, print); ${out.split('\n').filter(Boolean).length} alerts printed\n`)
  rmSync(dir, { recursive: true, force: true })
  return 0
}

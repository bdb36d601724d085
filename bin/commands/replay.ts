/** `jiancha replay FILE --until T`: the rules over a file of events, in event time, no server (contract §5). */
import { defaultContext, inEventTime, runSorted, toLine } from '../../rules/index.ts'
import { DEFAULT_ZONE, parseInstant } from '../../common/time/index.ts'
import type { Command } from '../command.ts'
import { readEventFile } from './eventFile.ts'

export const replayCommand: Command = {
  summary: 'run the rules over a JSON Lines file of events and print every alert',
  usage: 'jiancha replay FILE --until 2026-12-31T00:00:00+08:00',
  options: {
    until: { type: 'string', help: 'RFC 3339 instant at which the virtual clock stops (required)' },
    zone: { type: 'string', help: `time zone of calendar reasoning (default ${DEFAULT_ZONE})` },
    stats: { type: 'boolean', help: 'print events/s, cases held, peak memory and the time of each phase to stderr' },
  },
  more: () =>
    'Prints one JSON line {"rule","level","caseId","dept","at"} per alert, ordered by at, rule, caseId.\n' +
    'Invalid lines are reported on stderr with their line number and skipped; the exit code is then 1.',
  async run(values, positionals) {
    const file = positionals[0]
    if (!file || positionals.length > 1) throw new Error('give exactly one FILE of events (JSON Lines); "-" reads stdin')
    if (typeof values.until !== 'string') throw new Error('--until is required, e.g. --until 2026-12-31T00:00:00+08:00')
    const until = parseInstant(values.until)
    if (Number.isNaN(until)) throw new Error(`--until must be an RFC 3339 instant with an offset, got "${values.until}"`)
    const ctx = defaultContext({
      zone: typeof values.zone === 'string' ? values.zone : undefined,
      // stdout carries only the contract's alert lines, so the calendar's warning goes to stderr.
      onUncovered: (y) => process.stderr.write(`replay: warning: the calendar has no official schedule for ${y}; counting Monday–Friday for it\n`),
    })
    const t0 = performance.now()
    const { events, errors } = await readEventFile(file)
    const t1 = performance.now()
    const sorted = inEventTime(events, until)
    const t2 = performance.now()
    const { fires, casesHeld, eventsHeld } = runSorted(sorted, until, ctx)
    const t3 = performance.now()
    const out = fires.map((f) => JSON.stringify(toLine(f, ctx))).join('\n')
    if (out) process.stdout.write(`${out}\n`)
    for (const e of errors) process.stderr.write(`${file}:${e.line}: ${e.field}: ${e.message}\n`)
    const t4 = performance.now()
    if (values.stats) {
      const s = (t4 - t0) / 1000
      const phase = (a: number, b: number) => `${((b - a) / 1000).toFixed(2)} s`
      process.stderr.write(
        `replay: ${events.length} events in ${s.toFixed(2)} s (${Math.round(events.length / s)} events/s), ${fires.length} alerts, ${casesHeld} cases held (${eventsHeld} events), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n` +
          `replay: phases: read+parse+validate ${phase(t0, t1)}, sort ${phase(t1, t2)}, rules ${phase(t2, t3)}, print ${phase(t3, t4)}\n`,
      )
    }
    return errors.length ? 1 : 0
  },
}

/** `jiancha replay FILE --until T`: the rules over a file of events, in event time, no server (contract §5). */
import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { defaultContext } from '../../rules/context.ts'
import { parseInstant } from '../../rules/zone.ts'
import { replay } from '../../rules/replay.ts'
import type { Command } from '../command.ts'

export const replayCommand: Command = {
  summary: 'run the rules over a JSON Lines file of events and print every alert',
  usage: 'jiancha replay FILE --until 2026-12-31T00:00:00+08:00',
  options: {
    until: { type: 'string', help: 'RFC 3339 instant at which the virtual clock stops (required)' },
    zone: { type: 'string', help: 'time zone of calendar reasoning (default Asia/Shanghai)' },
    stats: { type: 'boolean', help: 'print events/s, cases held and peak memory to stderr' },
  },
  more: () =>
    'Prints one JSON line {"rule","level","caseId","dept","at"} per alert, ordered by at, rule, caseId.\nInvalid lines are reported on stderr with their line number and skipped; the exit code is then 1.',
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
    if (file !== '-') {
      try {
        if (!statSync(file).isFile()) throw new Error('not a file')
      } catch (e) {
        throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
      }
    }
    const input = file === '-' ? process.stdin : createReadStream(file)
    const lines: string[] = []
    await new Promise<void>((resolve, reject) => {
      input.on('error', (e: Error) => reject(new Error(`cannot read ${file}: ${e.message}`)))
      const rl = createInterface({ input, crlfDelay: Infinity })
      rl.on('line', (l) => lines.push(l))
      rl.on('close', resolve)
    })
    const result = replay(lines, until, ctx)
    const out = result.alerts.map((a) => JSON.stringify(a)).join('\n')
    if (out) process.stdout.write(`${out}\n`)
    for (const e of result.errors) process.stderr.write(`${file}:${e.line}: ${e.field}: ${e.message}\n`)
    if (values.stats) {
      const s = (performance.now() - t0) / 1000
      process.stderr.write(
        `replay: ${result.events} events in ${s.toFixed(2)} s (${Math.round(result.events / s)} events/s), ${result.alerts.length} alerts, ${result.casesHeld} cases held, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
      )
    }
    return result.errors.length ? 1 : 0
  },
}

/** `jiancha bench rules`: speed and memory of the rules engine (see bench/rules.ts). */
import type { Command } from '../command.ts'

export const benchCommand: Command = {
  summary: 'measure speed and memory (bench rules)',
  usage: 'jiancha bench rules [--events 1000000] [--cases 200000]',
  options: {
    events: { type: 'string', help: 'number of synthetic events (default 1000000)' },
    cases: { type: 'string', help: 'number of cases they belong to (default 200000)' },
  },
  async run(values, positionals) {
    if (positionals[0] !== 'rules') throw new Error('usage: jiancha bench rules')
    const { benchRules } = await import('../../bench/index.ts')
    return benchRules({ events: Number(values.events ?? 1_000_000), cases: Number(values.cases ?? 200_000) })
  },
}

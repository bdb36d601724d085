/** `jiancha bench rules|worker`: speed and memory of the rules engine (bench/rules.ts), throughput of the live worker (bench/worker.ts). */
import type { Command } from '../command.ts'

export const benchCommand: Command = {
  summary: 'measure speed and memory (bench rules, bench worker)',
  usage: 'jiancha bench rules [--events 1000000] [--cases 200000] | jiancha bench worker [--events 200000] [--cases 40000] [--batch 2000] [--only pg|pglite]',
  options: {
    events: { type: 'string', help: 'number of synthetic events (default 1000000 for rules, 200000 for worker)' },
    cases: { type: 'string', help: 'number of cases they belong to (default 200000 for rules, 40000 for worker)' },
    batch: { type: 'string', help: 'worker: messages per batch (default 2000)' },
    only: { type: 'string', help: 'worker: run on one database only, pg or pglite' },
  },
  async run(values, positionals) {
    const which = positionals[0]
    if (which === 'rules') {
      const { benchRules } = await import('../../bench/index.ts')
      return benchRules({ events: Number(values.events ?? 1_000_000), cases: Number(values.cases ?? 200_000) })
    }
    if (which === 'worker') {
      const only = values.only as string | undefined
      if (only !== undefined && only !== 'pg' && only !== 'pglite') throw new Error('--only takes pg or pglite')
      const { benchWorker } = await import('../../bench/index.ts')
      return benchWorker({ events: Number(values.events ?? 200_000), cases: Number(values.cases ?? 40_000), batch: values.batch ? Number(values.batch) : undefined, only })
    }
    throw new Error('usage: jiancha bench rules | jiancha bench worker')
  },
}

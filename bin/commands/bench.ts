/** `jiancha bench rules|worker|sms`: speed and memory of the rules engine (bench/rules.ts), throughput of the live worker (bench/worker.ts), the SMS outbox's rate (bench/sms.ts). */
import type { Command } from '../command.ts'

export const benchCommand: Command = {
  summary: 'measure speed and memory (bench rules, bench worker, bench sms)',
  usage:
    'jiancha bench rules [--events 1000000] [--cases 200000] | jiancha bench worker [--events 200000] [--cases 40000] [--batch 2000] [--only pg|pglite]' +
    ' | jiancha bench sms [--messages 5000] [--concurrency 8] [--batch 64] [--latency-ms 0]',
  options: {
    events: { type: 'string', help: 'rules, worker: number of synthetic events (default 1000000 for rules, 200000 for worker)' },
    cases: { type: 'string', help: 'rules, worker: number of cases they belong to (default 200000 for rules, 40000 for worker)' },
    batch: { type: 'string', help: 'worker: messages per batch (default 2000); sms: rows the sender claims at a time (default 64)' },
    only: { type: 'string', help: 'worker: run on one database only, pg or pglite' },
    messages: { type: 'string', help: 'sms: messages to enqueue and send (default 5000)' },
    concurrency: { type: 'string', help: 'sms: requests in flight, for the sender and the raw POSTs alike (default 8)' },
    'latency-ms': { type: 'string', help: 'sms: how long the fake Twilio takes to answer each request (default 0)' },
  },
  async run(values, positionals) {
    const which = positionals[0]
    if (which === 'rules') {
      const { benchRules } = await import('../../bench/index.ts')
      return benchRules({ events: count(values.events, 1_000_000, 'events'), cases: count(values.cases, 200_000, 'cases') })
    }
    if (which === 'worker') {
      const only = values.only as string | undefined
      if (only !== undefined && only !== 'pg' && only !== 'pglite') throw new Error('--only takes pg or pglite')
      const { benchWorker } = await import('../../bench/index.ts')
      return benchWorker({ events: count(values.events, 200_000, 'events'), cases: count(values.cases, 40_000, 'cases'), batch: values.batch ? count(values.batch, 2000, 'batch') : undefined, only })
    }
    if (which === 'sms') {
      const { benchSms } = await import('../../bench/index.ts')
      return benchSms({
        messages: count(values.messages, 5000, 'messages'),
        concurrency: count(values.concurrency, 8, 'concurrency'),
        batch: count(values.batch, 64, 'batch'),
        latencyMs: count(values['latency-ms'], 0, 'latency-ms', 0),
      })
    }
    throw new Error('usage: jiancha bench rules | jiancha bench worker | jiancha bench sms')
  },
}

/** count reads a whole-number option, naming it when it is not one. */
function count(v: unknown, fallback: number, name: string, min = 1): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`)
  return n
}

/** `jiancha simulate`: the demo city, sending to a running collector like any real source. */
import { DAY_MS, DemoClock } from '../../common/time/index.ts'
import { startSimulator } from '../../demo/index.ts'
import type { Command } from '../command.ts'
import { untilSignal } from './signals.ts'

const int = (v: unknown, name: string, def: number): number => {
  if (v === undefined) return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${String(v)}"`)
  return n
}

export const simulateCommand: Command = {
  summary: 'run the demo city simulator against a collector',
  usage: 'jiancha simulate --url http://127.0.0.1:8090 --token TOKEN [--speed 28800] [--days-back 60]',
  options: {
    url: { type: 'string', help: 'collector base URL (default http://127.0.0.1:8090)' },
    token: { type: 'string', help: 'bearer token of the source "simulator" (or SIM_TOKEN)' },
    speed: { type: 'string', help: 'time-lapse factor: simulated ms per real ms (default 28800: a day per 3 s)' },
    'days-back': { type: 'string', help: 'start this many days before now (default 60)' },
    rate: { type: 'string', help: 'cases opened per simulated day (default 150)' },
    seed: { type: 'string', help: 'seed of the demo city (default 1)' },
  },
  more: () => 'The collector must know the token as source "simulator" (JIANCHA_SOURCES=simulator:TOKEN).\nNote: the rules engine must run on the same time-lapse clock to see cards come due; "jiancha start" does that for you.',
  async run(values) {
    const token = (values.token as string | undefined) ?? process.env.SIM_TOKEN
    if (!token) throw new Error('--token (or SIM_TOKEN) is required')
    const speed = int(values.speed, 'speed', 28_800)
    const anchor = Math.floor((Date.now() - int(values['days-back'], 'days-back', 60) * DAY_MS) / DAY_MS) * DAY_MS
    const sim = startSimulator({
      url: (values.url as string | undefined) ?? 'http://127.0.0.1:8090',
      token,
      clock: new DemoClock(anchor, speed),
      seed: values.seed === undefined ? 1 : int(values.seed, 'seed', 1),
      simStart: anchor,
      ratePerDay: int(values.rate, 'rate', 150),
      log: (m) => process.stderr.write(`${m}\n`),
    })
    await untilSignal()
    await sim.stop()
    const s = sim.stats()
    process.stdout.write(`sent ${s.sent}: accepted ${s.accepted}, duplicate ${s.duplicate}, rejected ${s.rejected}\n`)
    return 0
  },
}

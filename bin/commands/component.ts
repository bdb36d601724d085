/** The component commands: one part of the platform per process, sharing DATABASE_URL and NATS_URL. */
import { configHelp, loadConfig } from '../../common/config/index.ts'
import { logger, setLogLevel } from '../../common/log/index.ts'
import type { Command } from '../command.ts'
import { startPlatform, type Part } from '../platform.ts'
import { untilSignal } from './signals.ts'

/** componentCommand builds the command that runs one part alone. */
export function componentCommand(part: Exclude<Part, 'simulator'>, summary: string): Command {
  return {
    summary,
    usage: `jiancha ${part} [--config FILE]`,
    options: { config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' } },
    more: () =>
      `Separate processes must share one database and one bus: set DATABASE_URL and NATS_URL.\n\nSettings:\n${configHelp()}`,
    async run(values) {
      const cfg = loadConfig({ file: values.config as string | undefined })
      setLogLevel(cfg.logLevel)
      if (!cfg.databaseUrl || !cfg.natsUrl) {
        throw new Error(`running "${part}" alone needs DATABASE_URL and NATS_URL shared with the other components; use "jiancha start" for everything in one process`)
      }
      const log = logger(part)
      const platform = await startPlatform(cfg, new Set<Part>([part]), log)
      const url = platform.collectorUrl ?? platform.dashboardUrl ?? platform.alertsUrl ?? platform.rulesUrl ?? platform.kpiUrl
      log.info(`${part} running${url ? ` at ${url}` : ''}${platform.alertsUrl ? " (Twilio's webhooks and /healthz)" : ' (/healthz)'}`)
      await untilSignal()
      await platform.stop()
      return 0
    },
  }
}

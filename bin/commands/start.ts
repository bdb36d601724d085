/** `jiancha start`: the whole platform in one process, on embedded defaults. */
import { configHelp, loadConfig } from '../../common/config.ts'
import { logger, setLogLevel } from '../../common/log.ts'
import type { Command } from '../command.ts'
import { startPlatform, type Part } from '../platform.ts'
import { untilSignal } from './signals.ts'

export const startCommand: Command = {
  summary: 'run the whole platform in one process (database, bus, collector, rules, alerts, dashboard, demo simulator)',
  usage: 'jiancha start [--no-simulator] [--config FILE] [--port 8080]',
  options: {
    'no-simulator': { type: 'boolean', help: 'do not run the demo city simulator' },
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
    port: { type: 'string', help: 'dashboard port (default 8080); also DASHBOARD_PORT' },
  },
  more: () => `Settings (environment variables, or the same names in camelCase in the config file):\n${configHelp()}`,
  async run(values) {
    const cfg = loadConfig({ file: values.config as string | undefined, overrides: { dashboardPort: values.port } })
    setLogLevel(cfg.logLevel)
    const log = logger('jiancha')
    const parts = new Set<Part>(['collector', 'rules', 'alerts', 'dashboard'])
    if (!values['no-simulator']) parts.add('simulator')
    const platform = await startPlatform(cfg, parts, log)
    process.stdout.write(
      `\n  电子监察 Jiancha is running.\n  Wall (大屏):     ${platform.dashboardUrl!.replace('127.0.0.1', 'localhost')}\n  Collector API:   ${platform.collectorUrl}/api/v1/events\n  ${parts.has('simulator') ? 'Demo simulator:  on (simulated days pass in seconds)' : 'Demo simulator:  off'}\n  Press Ctrl-C to stop.\n\n`,
    )
    await untilSignal()
    log.info('stopping…')
    await platform.stop()
    log.info('stopped')
    return 0
  },
}

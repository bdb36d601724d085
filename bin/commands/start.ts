/** `jiancha start`: the whole platform in one process, on embedded defaults. */
import { configHelp, loadConfig } from '../../common/config/index.ts'
import { logger, setLogLevel } from '../../common/log/index.ts'
import type { Command } from '../command.ts'
import { startPlatform, type Part, type Platform } from '../platform.ts'
import { untilSignal } from './signals.ts'

export const startCommand: Command = {
  summary: 'run the whole platform in one process (database, bus, collector, rules, alerts, dashboard, demo simulator)',
  usage: 'jiancha start [--no-simulator] [--kpi] [--config FILE] [--port 8080]',
  options: {
    'no-simulator': { type: 'boolean', help: 'do not run the demo city simulator' },
    kpi: { type: 'boolean', help: 'also run the kpi worker on the embedded database (it runs by default with DATABASE_URL)' },
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
    port: { type: 'string', help: 'dashboard port (default 8080); also DASHBOARD_PORT' },
  },
  more: () => `Settings (environment variables, or the same names in camelCase in the config file):\n${configHelp()}`,
  async run(values) {
    const cfg = loadConfig({ file: values.config as string | undefined, overrides: { dashboardPort: values.port } })
    setLogLevel(cfg.logLevel)
    const log = logger('jiancha')
    const parts = new Set<Part>(['collector', 'rules', 'alerts', 'dashboard'])
    // On the one embedded database the kpi worker's work made the demo's cards and SMS late:
    // it runs here with DATABASE_URL or --kpi, and always as `jiancha kpi`.
    if (cfg.databaseUrl || values.kpi) parts.add('kpi')
    else log.info('kpi: not run on the embedded database by jiancha start (it slows the live demo); --kpi runs it, as does jiancha kpi')
    if (!values['no-simulator']) parts.add('simulator')
    const platform = await startPlatform(cfg, parts, log)
    process.stdout.write(banner(platform, parts.has('simulator')))
    await untilSignal()
    log.info('stopping…')
    await platform.stop()
    log.info('stopped')
    return 0
  },
}

/** banner is what `jiancha start` prints once everything runs: where to look and, in the demo, how to sign in. */
export function banner(p: Pick<Platform, 'dashboardUrl' | 'collectorUrl' | 'alertsUrl' | 'rulesUrl' | 'demoAccounts'>, simulator: boolean): string {
  const lines = [
    '',
    '  电子监察 Jiancha is running.',
    `  Wall (大屏):     ${p.dashboardUrl!.replace('127.0.0.1', 'localhost')}`,
    `  Collector API:   ${p.collectorUrl}/api/v1/events`,
    `  Alerts server:   ${p.alertsUrl} (Twilio's webhooks; /healthz)`,
    `  Rules server:    ${p.rulesUrl} (/healthz; every server answers /healthz for the whole process)`,
    `  ${simulator ? 'Demo simulator:  on (simulated days pass in seconds)' : 'Demo simulator:  off'}`,
  ]
  const d = p.demoAccounts
  if (d) {
    const dept = d.accounts.find((a) => a.role === 'department')
    lines.push(
      '',
      '  演示账号 Demo sign-in (this machine only; kept in ' + d.file + '):',
      `    纪检监察员 inspector  demo-inspector`,
      `    领导 leader           demo-leader`,
      `    管理员 admin          demo-admin`,
      `    部门 department       demo-<部门代码>, e.g. ${dept?.username ?? 'demo-market'}`,
      `    密码 password         ${d.password}`,
    )
  }
  lines.push('  Press Ctrl-C to stop.', '', '')
  return lines.join('\n')
}

/** `jiancha start`: the whole platform in one process, on embedded defaults. */
import { configHelp, loadConfig } from '../../common/config/index.ts'
import { logger, setLogLevel } from '../../common/log/index.ts'
import type { Command } from '../command.ts'
import { startPlatform, type Part, type Platform } from '../platform.ts'
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
    const loaded = loadConfig({ file: values.config as string | undefined, overrides: { dashboardPort: values.port } })
    setLogLevel(loaded.logLevel)
    const log = logger('jiancha')
    // On the one embedded database the threads' sweep for the cooperation counts slows the
    // live path of the demo down (every open thread recounted each KPI_REFRESH_MS): off here
    // unless asked for; a deployment on PostgreSQL, or KPI_THREADS=true, counts them.
    const embeddedOnly = !loaded.databaseUrl && process.env.KPI_THREADS === undefined
    const cfg = embeddedOnly ? { ...loaded, kpiThreads: false } : loaded
    if (embeddedOnly) log.info('kpi: the cooperation counts (配合落实) are off on the embedded database in jiancha start; KPI_THREADS=true turns them on')
    const parts = new Set<Part>(['collector', 'rules', 'alerts', 'kpi', 'dashboard'])
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

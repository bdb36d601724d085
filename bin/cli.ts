/**
 * The `jiancha` command line: `start` runs the whole platform in one process; the
 * component commands run one part each, for deployments with separate processes.
 */
import { ConfigError } from '../common/config/index.ts'
import { helpOf, runCommand, type Command } from './command.ts'

/** Entry names a command and loads it lazily, so `replay` never loads the database or the bus. */
interface Entry {
  summary: string
  load: () => Promise<Command>
  /** finds a subcommand with options and help of its own at the start of the arguments, or null */
  sub?: (args: string[]) => Promise<{ name: string; command: Command; args: string[] } | null>
}

const component = (part: 'collector' | 'rules' | 'alerts' | 'dashboard', summary: string): Entry => ({
  summary,
  load: async () => (await import('./commands/component.ts')).componentCommand(part, summary),
})

const COMMANDS: Record<string, Entry> = {
  start: { summary: 'run the whole platform in one process (database, bus, all components, demo simulator)', load: async () => (await import('./commands/start.ts')).startCommand },
  collector: component('collector', 'the collector HTTP API alone (POST /api/v1/events)'),
  rules: component('rules', 'the rules engine alone; "jiancha rules test FILE.yaml" runs rule unit tests'),
  alerts: component('alerts', 'the alert store alone (stores cards, announces them live)'),
  dashboard: component('dashboard', 'the dashboard server alone (wall, REST, Socket.IO)'),
  simulate: { summary: 'run the demo city simulator against a collector', load: async () => (await import('./commands/simulate.ts')).simulateCommand },
  replay: { summary: 'run the rules over a JSON Lines file of events and print every alert', load: async () => (await import('./commands/replay.ts')).replayCommand },
  kpi: {
    summary: 'performance figures (绩效评测): the kpi component; kpi show, kpi replay FILE --until T, kpi scheme check FILE',
    load: async () => (await import('./commands/kpi.ts')).kpiCommand,
    sub: async (args) => (await import('./commands/kpi.ts')).kpiSubcommand(args),
  },
  calendar: { summary: 'the working-day calendar: import a year, show or list the years covered', load: async () => (await import('./commands/calendar.ts')).calendarCommand },
  dept: { summary: 'the department registry: import departments from CSV or YAML, list them', load: async () => (await import('./commands/dept.ts')).deptCommand },
  user: { summary: 'accounts: add a user (the first admin too), list users', load: async () => (await import('./commands/user.ts')).userCommand },
  audit: { summary: 'the hash-chained audit trail: verify that no row was altered or deleted', load: async () => (await import('./commands/audit.ts')).auditCommand },
  migrate: { summary: 'apply the database migrations (each once) and exit', load: async () => (await import('./commands/migrate.ts')).migrateCommand },
  bench: { summary: 'measure speed and memory (bench rules, bench worker)', load: async () => (await import('./commands/bench.ts')).benchCommand },
}

function usage(): string {
  const list = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(11)} ${c.summary}`).join('\n')
  return `jiancha — 电子监察 real-time e-supervision platform\n\nUsage: jiancha <command> [options]\n\nCommands:\n${list}\n\nRun "jiancha <command> --help" for a command's options.\n`
}

/** main runs one command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) process.stdout.write(helpOf(rest[0], await COMMANDS[rest[0]]!.load()))
    else process.stdout.write(usage())
    return 0
  }
  // `jiancha rules test FILE…` is the rules' unit-test runner; plain `jiancha rules` runs the engine.
  if (name === 'rules' && rest[0] === 'test') {
    return runCommand('rules test', (await import('./commands/rulesTest.ts')).rulesTestCommand, rest.slice(1))
  }
  const entry = COMMANDS[name]
  if (!entry) {
    process.stderr.write(`jiancha: unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  let label = name
  try {
    const sub = entry.sub ? await entry.sub(rest) : null
    if (sub) label = sub.name
    return await (sub ? runCommand(sub.name, sub.command, sub.args) : runCommand(name, await entry.load(), rest))
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`jiancha ${label}: ${e.message}\n`)
      return 2
    }
    process.stderr.write(`jiancha ${label}: ${(e as Error).message}\n`)
    return 1
  }
}

/**
 * `jiancha kpi`: the performance figures (绩效评测, common/contract/kpi.md). `replay FILE
 * --until T` computes them from a file of events with no server; `scheme check FILE`
 * checks a scheme file and prints its version. Each subcommand has its own --help.
 */
import { loadConfig } from '../../common/config/index.ts'
import { DEPT_KINDS } from '../../common/contract/index.ts'
import { DeptDirectory } from '../../common/departments/index.ts'
import { DEFAULT_ZONE, parseInstant, Zone } from '../../common/time/index.ts'
import { DEFAULT_SCHEME_FILE, defaultScheme, figures, formatKpiLine, kpiReplay, loadScheme, parsePeriod, PERIOD_UNITS, type PeriodUnit, type Scheme } from '../../kpi/index.ts'
import { openConfiguredDb } from '../infra.ts'
import { defaultContext } from '../../rules/index.ts'
import type { Command } from '../command.ts'
import { readEventFile } from './eventFile.ts'

const KPI_COMPONENT = 'the kpi component alone: counts the events and cards into the database, freezes closed periods'
const USAGE = 'jiancha kpi [--config FILE] | kpi show --period P [--until T] | kpi replay FILE --until T [--period month|quarter|year] [--scheme FILE] [--zone Z] | kpi scheme check FILE'

/** kpiReplayCommand is `jiancha kpi replay FILE --until T`: the figures of kpi.md §4 from a file of events. */
export const kpiReplayCommand: Command = {
  summary: 'compute the performance figures of every department and period from a JSON Lines file of events',
  usage: 'jiancha kpi replay FILE --until 2026-12-31T00:00:00+08:00 [--period month|quarter|year] [--scheme FILE]',
  options: {
    until: { type: 'string', help: 'RFC 3339 instant; nothing at or after it counts (required)' },
    period: { type: 'string', help: 'month (default), quarter or year' },
    scheme: { type: 'string', help: `scheme file (YAML, docs/kpi.md; default ${relative(DEFAULT_SCHEME_FILE)})` },
    zone: { type: 'string', help: `time zone of the periods and the deadline clocks (default ${DEFAULT_ZONE})` },
  },
  more: () =>
    'Runs the rules over the events as `jiancha replay` does, then prints one JSON line per department and\n' +
    'period, {"period","dept","counts","indicators","categories","score","grade","rank","previousRank"},\n' +
    'for every period from the one holding the earliest event to the one holding --until, ordered by\n' +
    'period, rank (the unranked last) and dept. null is no data (无数据). "-" as FILE reads stdin.\n' +
    'Invalid lines are reported on stderr with their line number and skipped; the exit code is then 1.',
  async run(values, positionals) {
    const file = positionals[0]
    if (!file || positionals.length > 1) throw new Error('give exactly one FILE of events (JSON Lines); "-" reads stdin')
    if (typeof values.until !== 'string') throw new Error('--until is required, e.g. --until 2026-12-31T00:00:00+08:00')
    const until = parseInstant(values.until)
    if (Number.isNaN(until)) throw new Error(`--until must be an RFC 3339 instant with an offset, got "${values.until}"`)
    const unit = periodUnit(values.period)
    const scheme: Scheme = typeof values.scheme === 'string' ? loadScheme(values.scheme) : defaultScheme()
    const ctx = defaultContext({
      zone: typeof values.zone === 'string' ? values.zone : undefined,
      // stdout carries only the contract's lines, so the calendar's warning goes to stderr.
      onUncovered: (y) => process.stderr.write(`kpi replay: warning: the calendar has no official schedule for ${y}; counting Monday–Friday for it\n`),
    })
    const { events, errors } = await readEventFile(file)
    const out = kpiReplay(events, { until, unit, ctx, scheme }).map(formatKpiLine).join('\n')
    if (out) process.stdout.write(`${out}\n`)
    for (const e of errors) process.stderr.write(`${file}:${e.line}: ${e.field}: ${e.message}\n`)
    return errors.length ? 1 : 0
  },
}

/** kpiShowCommand is `jiancha kpi show --period P [--until T]`: the figures of kpi.md §4 from the database. */
export const kpiShowCommand: Command = {
  summary: 'print the performance figures the live platform counted, from the database, in the lines of kpi replay',
  usage: 'jiancha kpi show --period 2026-11|2026-Q4|2026|month|quarter|year [--until T] [--scheme FILE] [--kind KIND] [--config FILE]',
  options: {
    period: { type: 'string', help: 'a period (2026-11, 2026-Q4, 2026), or month, quarter or year for every period of that length (required)' },
    until: { type: 'string', help: 'RFC 3339 instant; nothing at or after it counts (default now)' },
    scheme: { type: 'string', help: 'scheme file (default KPI_SCHEME, else the contract default)' },
    kind: { type: 'string', help: 'only the departments of this kind in the registry (and the ranks among them)' },
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
  },
  more: () =>
    'Reads the counts the kpi component stored (DATABASE_URL, else the embedded database in JIANCHA_DATA_DIR)\n' +
    'and prints one JSON line per department and period, exactly as `jiancha kpi replay` does for the same\n' +
    'events, the cooperation counts (threads.*) aside, which only the live platform has. Departments the\n' +
    'registry marks inactive are left out. The same lines also with --period month: every month from the\n' +
    'earliest count to the one holding --until.',
  async run(values, positionals) {
    if (positionals.length) throw new Error(`kpi show takes no FILE, got "${positionals[0]}"`)
    if (typeof values.period !== 'string') throw new Error('--period is required, e.g. --period 2026-11, --period 2026-Q4 or --period month')
    const what = (PERIOD_UNITS as readonly string[]).includes(values.period) ? { unit: values.period as PeriodUnit } : { period: parsePeriod(values.period) }
    const until = typeof values.until === 'string' ? parseInstant(values.until) : Date.now()
    if (Number.isNaN(until)) throw new Error(`--until must be an RFC 3339 instant with an offset, got "${String(values.until)}"`)
    const kind = typeof values.kind === 'string' ? values.kind : undefined
    if (kind !== undefined && !(DEPT_KINDS as readonly string[]).includes(kind)) throw new Error(`--kind must be one of ${DEPT_KINDS.join(', ')}, got "${kind}"`)
    const cfg = loadConfig({ file: values.config as string | undefined })
    const schemeFile = typeof values.scheme === 'string' ? values.scheme : cfg.kpiScheme
    const scheme: Scheme = schemeFile ? loadScheme(schemeFile) : defaultScheme()
    const db = await openConfiguredDb(cfg, () => {})
    try {
      const registry = await DeptDirectory.load(db)
      const rows = await figures(db, what, { zone: Zone.of(cfg.zone), scheme, until, registry, kind, fresh: true })
      const out = rows.map(formatKpiLine).join('\n')
      if (out) process.stdout.write(`${out}\n`)
      return 0
    } finally {
      await db.close()
    }
  },
}

/** kpiSchemeCheckCommand is `jiancha kpi scheme check FILE`: checks a scheme file and prints its version. */
export const kpiSchemeCheckCommand: Command = {
  summary: 'check a KPI scheme file and print its version',
  usage: 'jiancha kpi scheme check FILE',
  options: {},
  more: () =>
    'Prints the version (a hash of the scheme itself, which every result records), the categories with their\n' +
    'weights and the grade cut-offs. An error names the key at fault. Exit code 0 when the scheme is valid,\n' +
    `1 when it is not or cannot be read, 2 when no FILE is given. The default scheme is ${relative(DEFAULT_SCHEME_FILE)}.`,
  async run(_values, positionals) {
    if (positionals.length !== 1) {
      process.stderr.write('jiancha kpi scheme check: give exactly one scheme FILE, e.g. jiancha kpi scheme check kpi/schemes/default.yaml\n')
      return 2
    }
    const file = positionals[0]!
    let scheme: Scheme
    try {
      scheme = loadScheme(file)
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`)
      return 1
    }
    const out = (s: string) => process.stdout.write(`${s}\n`)
    out(`${file}: valid, version ${scheme.version}`)
    for (const c of scheme.categories) {
      const inds = c.indicators.map((i) => `${i.name} ${i.weight.toDecimal()}`).join(', ')
      out(`  ${c.name}${c.label ? ` (${c.label})` : ''} ${c.weight.toDecimal()}: ${inds}`)
    }
    out(`  grades: ${scheme.grades.map((g) => `${g.name} ≥ ${g.min.toDecimal()}`).join(', ')}`)
    return 0
  },
}

/** kpiCommand is `jiancha kpi` without a known subcommand: its help lists the subcommands. */
export const kpiCommand: Command = {
  summary: 'performance figures (绩效评测): kpi replay FILE --until T, kpi scheme check FILE',
  usage: USAGE,
  options: {},
  more: () =>
    [
      `Without a subcommand, jiancha kpi [--config FILE] runs ${KPI_COMPONENT} (DATABASE_URL and NATS_URL shared with the others).`,
      'Subcommands (each has --help):',
      `  show --period P         ${kpiShowCommand.summary}`,
      `  replay FILE --until T   ${kpiReplayCommand.summary}`,
      `  scheme check FILE       ${kpiSchemeCheckCommand.summary}`,
      'The figures are defined in common/contract/kpi.md; docs/kpi.md explains them with a worked example.',
    ].join('\n'),
  async run(_values, positionals) {
    const sub = positionals.join(' ')
    throw new Error(`${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}; usage: ${USAGE}`)
  },
}

/** KpiSubcommand is the subcommand an argv names, with the arguments left for it. */
export interface KpiSubcommand {
  name: string
  command: Command
  args: string[]
}

/** kpiSubcommand finds the subcommand at the start of `jiancha kpi`'s arguments, or null (then kpiCommand answers). */
export async function kpiSubcommand(args: readonly string[]): Promise<KpiSubcommand | null> {
  // Plain `jiancha kpi [--config FILE]` runs the kpi component, as `jiancha rules` runs the engine.
  if (args[0] === undefined || (args[0].startsWith('-') && args[0] !== '--help' && args[0] !== '-h')) {
    const { componentCommand } = await import('./component.ts')
    return { name: 'kpi', command: componentCommand('kpi', KPI_COMPONENT), args: [...args] }
  }
  if (args[0] === 'show') return { name: 'kpi show', command: kpiShowCommand, args: args.slice(1) }
  if (args[0] === 'replay') return { name: 'kpi replay', command: kpiReplayCommand, args: args.slice(1) }
  if (args[0] === 'scheme' && args[1] === 'check') return { name: 'kpi scheme check', command: kpiSchemeCheckCommand, args: args.slice(2) }
  return null
}

function periodUnit(v: string | boolean | undefined): PeriodUnit {
  if (v === undefined) return 'month'
  if (typeof v === 'string' && (PERIOD_UNITS as readonly string[]).includes(v)) return v as PeriodUnit
  throw new Error(`--period must be ${PERIOD_UNITS.join(', ')}, got "${String(v)}"`)
}

/** relative shortens a file of the platform to its path in the tree, for help texts. */
function relative(file: string): string {
  const i = file.lastIndexOf('/kpi/')
  return i === -1 ? file : file.slice(i + 1)
}

/** Command is one `jiancha` subcommand: its help text, options and what it does. */
import { parseArgs } from 'node:util'

export interface OptionSpec {
  type: 'string' | 'boolean'
  help: string
  short?: string
}

export interface Command {
  summary: string
  usage: string
  /** extra text after the options, e.g. the environment variables */
  more?: () => string
  options: Record<string, OptionSpec>
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>
}

/** helpOf renders a command's --help. */
export function helpOf(name: string, c: Command): string {
  const all: Record<string, OptionSpec> = { ...c.options, help: { type: 'boolean', help: 'show this help', short: 'h' } }
  const opts = Object.entries(all)
    .map(([k, o]) => `  ${`${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(30)} ${o.help}`)
    .join('\n')
  return `jiancha ${name} — ${c.summary}\n\nUsage: ${c.usage}\n\nOptions:\n${opts}\n${c.more ? `\n${c.more()}\n` : ''}`
}

/** runCommand parses argv for a command; an unknown option is an error that names it. */
export async function runCommand(name: string, c: Command, argv: string[]): Promise<number> {
  const options = Object.fromEntries(
    Object.entries({ ...c.options, help: { type: 'boolean' as const, help: '', short: 'h' } }).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  )
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (e) {
    process.stderr.write(`jiancha ${name}: ${(e as Error).message}\nRun "jiancha ${name} --help" for the options.\n`)
    return 2
  }
  if (parsed.values.help) {
    process.stdout.write(helpOf(name, c))
    return 0
  }
  return c.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals)
}

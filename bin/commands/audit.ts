/** `jiancha audit verify`: check the audit trail's hash chain and report the first broken link. */
import { configHelp, loadConfig } from '../../common/config/index.ts'
import { openConfiguredDb } from '../infra.ts'
import { verifyAudit } from '../../common/audit/index.ts'
import type { Command } from '../command.ts'

/** PROGRESS_EVERY is how many rows pass between progress lines on stderr. */
const PROGRESS_EVERY = 100_000
const USAGE = 'jiancha audit verify [--config FILE]'

/** auditCommand is `jiancha audit`; its one subcommand, verify, exits 0 when the trail is intact and 1 when broken. */
export const auditCommand: Command = {
  summary: 'verify the audit trail: every row intact, none deleted',
  usage: USAGE,
  options: { config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' } },
  more: () =>
    'Exit status: 0 when the trail is intact, 1 when it is broken (the first broken row is named), 2 on a usage error.\n' +
    `See docs/audit.md.\n\nSettings:\n${configHelp()}`,
  async run(values, positionals) {
    if (positionals.length !== 1 || positionals[0] !== 'verify') {
      process.stderr.write(`jiancha audit: expected "verify", got ${JSON.stringify(positionals.join(' '))}\nUsage: ${USAGE}\n`)
      return 2
    }
    const cfg = loadConfig({ file: values.config as string | undefined })
    const db = await openConfiguredDb(cfg)
    try {
      const v = await verifyAudit(db, { onProgress: progressLines(PROGRESS_EVERY, (m) => process.stderr.write(m)) })
      if (v.ok) {
        process.stdout.write(`audit log intact: ${v.rows} rows, head ${v.head}\n`)
        return 0
      }
      process.stdout.write(`audit log BROKEN at row ${v.brokenAt}: ${v.reason}\n`)
      return 1
    } finally {
      await db.close()
    }
  },
}

/** progressLines returns an onProgress that writes a line each time another `every` rows are done. */
export function progressLines(every: number, write: (line: string) => void): (n: number) => void {
  let reported = 0
  return (n) => {
    if (n - reported < every) return
    reported = n - (n % every)
    write(`audit: ${reported} rows verified\n`)
  }
}

/** `jiancha migrate`: apply the database migrations and exit. */
import { resolve } from 'node:path'
import { configHelp, loadConfig, redact } from '../../common/config/index.ts'
import { openConfiguredDb } from '../infra.ts'
import type { Command } from '../command.ts'

export const migrateCommand: Command = {
  summary: 'apply the database migrations (each once) and exit',
  usage: 'jiancha migrate [--config FILE]',
  options: { config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' } },
  more: () => `Settings:\n${configHelp()}`,
  async run(values) {
    const cfg = loadConfig({ file: values.config as string | undefined })
    const db = await openConfiguredDb(cfg)
    const r = await db.query<{ version: string; name: string; variant: string | null }>('SELECT version, name, variant FROM schema_migrations ORDER BY version')
    process.stdout.write(`${cfg.databaseUrl ? redact(cfg.databaseUrl) : resolve(cfg.dataDir, 'pg')} (timescaledb: ${db.timescale ? 'yes' : 'no'})\n`)
    for (const m of r.rows) process.stdout.write(`  ${m.version} ${m.name}${m.variant ? ` [${m.variant}]` : ''}\n`)
    await db.close()
    return 0
  },
}

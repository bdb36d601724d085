/**
 * Placeholders in migrations: `{{name}}` stands for a value the platform is configured
 * with (the time zone, `{{zone}}`), filled in at apply time as a quoted SQL literal.
 * The file's own text, placeholders and all, is what its checksum covers, so the same
 * file applies unchanged whatever the value.
 */
import type { SqlFile } from './migrations.ts'

/** MigrationVars are the values of the placeholders, by name. */
export type MigrationVars = Readonly<Record<string, string>>

const PLACEHOLDER = /\{\{([a-z][A-Za-z0-9_]*)\}\}/g

/** fillPlaceholders returns the file's SQL with each `{{name}}` replaced by its quoted value; a name without a value throws. */
export function fillPlaceholders(f: SqlFile, vars: MigrationVars): string {
  return f.sql.replace(PLACEHOLDER, (_, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined
    if (value === undefined) {
      const known = Object.keys(vars)
      throw new Error(`database: migration ${f.file} uses {{${name}}}, which has no value (${known.length ? `known: ${known.join(', ')}` : 'none are given'})`)
    }
    return sqlLiteral(value)
  })
}

/** sqlLiteral quotes a string as a standard SQL literal. */
function sqlLiteral(s: string): string {
  if (s.includes('\0')) throw new Error('database: a migration value cannot hold a NUL character')
  return `'${s.replaceAll("'", "''")}'`
}

import { describe, expect, it } from 'vitest'
import type { Queryable } from './db.ts'
import { ensureTimescale } from './extension.ts'

// fake answers pg_extension from `installed` and runs `create` for CREATE EXTENSION.
function fake(installed: () => string | undefined, create: (sql: string) => void): Queryable {
  return {
    async query<R>(sql: string) {
      if (sql.startsWith('CREATE EXTENSION')) create(sql)
      const v = installed()
      return { rows: (v ? [{ extversion: v }] : []) as R[], rowCount: v ? 1 : 0 }
    },
  }
}

describe('ensureTimescale', () => {
  it('reports plain mode with the reason when the extension cannot be created', async () => {
    const q = fake(() => undefined, () => {
      throw new Error('extension "timescaledb" is not available')
    })
    expect(await ensureTimescale(q)).toEqual({ installed: false, reason: 'extension "timescaledb" is not available' })
  })

  it('counts the extension as installed when another process created it first', async () => {
    let v: string | undefined
    const q = fake(() => v, () => {
      v = '2.17.0'
      throw new Error('duplicate key value violates unique constraint')
    })
    expect(await ensureTimescale(q)).toEqual({ installed: true, version: '2.17.0' })
  })

  it('installs into the given schema', async () => {
    const seen: string[] = []
    let v: string | undefined
    await ensureTimescale(fake(() => v, (sql) => (seen.push(sql), (v = '2.17.0'))), 'public')
    expect(seen).toEqual(['CREATE EXTENSION IF NOT EXISTS timescaledb SCHEMA public'])
  })
})

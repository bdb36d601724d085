import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './db.ts'
import { migrate } from './migrate.ts'
import { openTestDbs } from './testing.ts'

describe.each(openTestDbs())('migrate on $name', ({ open }) => {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-migrate-'))
  const write = (file: string, sql: string) => writeFileSync(join(dir, file), sql)
  let db: Db
  beforeAll(async () => {
    write('001_a.sql', 'CREATE TABLE a (x int);')
    write('001_a.timescale.sql', 'INSERT INTO a VALUES (1);')
    write('001_a.plain.sql', 'INSERT INTO a VALUES (2);')
    // VACUUM refuses to run in a transaction block, even the implicit one of a
    // multi-statement string. (CREATE INDEX CONCURRENTLY would too, but PGlite fails
    // it with "tuple concurrently updated".)
    write('002_b.sql', '-- migrate: no-transaction\nCREATE TABLE b (x int);\nVACUUM b;\n')
    db = await open({ migrationsDir: dir })
  })
  afterAll(async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('applies each migration with the companion for the mode, and records it', async () => {
    const variant = db.timescale ? 'timescale' : 'plain'
    expect((await db.query('SELECT x FROM a')).rows).toEqual([{ x: db.timescale ? 1 : 2 }])
    expect((await db.query('SELECT x FROM b')).rowCount).toBe(0)
    const rows = await db.query('SELECT version, name, variant FROM schema_migrations ORDER BY version')
    expect(rows.rows).toEqual([
      { version: '001', name: 'a', variant },
      { version: '002', name: 'b', variant },
    ])
  })

  it('is a no-op when run again', async () => {
    expect(await migrate(db, dir)).toEqual([])
    expect((await db.query('SELECT x FROM a')).rowCount).toBe(1)
  })

  it('rolls back a failing migration as a whole and leaves it pending', async () => {
    write('003_bad.sql', 'CREATE TABLE c (x int);\nSELECT no_such_function();')
    await expect(migrate(db, dir)).rejects.toThrow(/migration 003_bad\.sql failed: .*no_such_function/)
    expect((await db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'c' AND schemaname = current_schema()`)).rowCount).toBe(0)
    unlinkSync(join(dir, '003_bad.sql'))
    expect((await db.query(`SELECT 1 FROM schema_migrations WHERE version = '003'`)).rowCount).toBe(0)
  })

  it('refuses to run when an applied file was edited, naming the file', async () => {
    const companion = db.timescale ? '001_a.timescale.sql' : '001_a.plain.sql'
    write(companion, 'INSERT INTO a VALUES (3);')
    await expect(migrate(db, dir)).rejects.toThrow(`database: migration ${companion} was changed after it was applied`)
    write('001_a.sql', 'CREATE TABLE a (x bigint);')
    await expect(migrate(db, dir)).rejects.toThrow('database: migration 001_a.sql was changed after it was applied')
  })
})

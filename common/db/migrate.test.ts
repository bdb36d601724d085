import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './db.ts'
import { migrate, MigrationVarMismatch, recordedVars } from './migrate.ts'
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

describe.each(openTestDbs())('migration placeholders on $name', ({ open }) => {
  const dirs: string[] = []
  const dirWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'jiancha-vars-'))
    for (const [f, sql] of Object.entries(files)) writeFileSync(join(dir, f), sql)
    dirs.push(dir)
    return dir
  }
  const dbs: Db[] = []
  const openIn = async (dir: string, zone: string) => {
    const db = await open({ migrationsDir: dir, zone })
    dbs.push(db)
    return db
  }
  afterAll(async () => {
    for (const db of dbs) await db.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const Z = 'CREATE TABLE z AS SELECT {{zone}}::text AS zone;'

  it('fills {{zone}} at apply time, records the zone and the checksum of the file as written', async () => {
    const dir = dirWith({ '001_z.sql': Z })
    const db = await openIn(dir, 'Asia/Tokyo')
    expect((await db.query('SELECT zone FROM z')).rows).toEqual([{ zone: 'Asia/Tokyo' }])
    expect(await recordedVars(db)).toEqual({ zone: 'Asia/Tokyo' })
    const sha = (await db.query<{ sha256: string }>(`SELECT sha256 FROM schema_migrations WHERE version = '001'`)).rows[0]!.sha256
    expect(sha).toBe(createHash('sha256').update(Z).digest('hex'))
  })

  it('refuses another zone than the database was built with before applying anything, naming both', async () => {
    const dir = dirWith({ '001_z.sql': Z })
    const db = await openIn(dir, 'Asia/Tokyo')
    writeFileSync(join(dir, '002_y.sql'), 'CREATE TABLE y AS SELECT {{zone}}::text AS zone;')
    const refused = migrate(db, dir, { vars: { zone: 'America/New_York' } })
    await expect(refused).rejects.toThrow(MigrationVarMismatch)
    await expect(refused).rejects.toThrow('database: built with zone "Asia/Tokyo", not "America/New_York"')
    expect((await db.query(`SELECT 1 FROM schema_migrations WHERE version = '002'`)).rowCount).toBe(0)
    expect(await recordedVars(db)).toEqual({ zone: 'Asia/Tokyo' })
    // The same zone migrates on, and the file's checksum does not depend on the value.
    expect(await migrate(db, dir, { vars: { zone: 'Asia/Tokyo' } })).toEqual(['002_y'])
    expect((await db.query('SELECT zone FROM y')).rows).toEqual([{ zone: 'Asia/Tokyo' }])
  })

  it('takes a database migrated before zones were recorded as built with the legacy zone', async () => {
    const dir = dirWith({ '001_a.sql': 'CREATE TABLE a (x int);' })
    const db = await openIn(dir, 'Asia/Shanghai')
    await db.query('DELETE FROM schema_vars') // as a database migrated by an older runner
    const legacyVars = { zone: 'Asia/Shanghai' }
    await expect(migrate(db, dir, { vars: { zone: 'Asia/Tokyo' }, legacyVars })).rejects.toThrow('built with zone "Asia/Shanghai", not "Asia/Tokyo"')
    expect(await recordedVars(db)).toEqual({})
    await migrate(db, dir, { vars: { zone: 'Asia/Shanghai' }, legacyVars })
    expect(await recordedVars(db)).toEqual({ zone: 'Asia/Shanghai' })
  })

  it('names a placeholder that has no value', async () => {
    const dir = dirWith({ '001_a.sql': 'SELECT 1;' })
    const db = await openIn(dir, 'UTC')
    writeFileSync(join(dir, '002_z.sql'), Z)
    await expect(migrate(db, dir)).rejects.toThrow('database: migration 002_z.sql uses {{zone}}, which has no value (none are given)')
  })
})

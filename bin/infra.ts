/**
 * openInfra opens what every component shares: the database (embedded PGlite or
 * DATABASE_URL) and the bus (a nats-server of our own, or NATS_URL).
 */
import { join, resolve } from 'node:path'
import { loadOrCreateKey, startCheckpoints } from '../common/audit/index.ts'
import { Bus, type NatsServer, startNatsServer } from '../common/bus/index.ts'
import { redact, type Config } from '../common/config/index.ts'
import { openDb, type Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import { asZoneError, checkDbZone } from './zoneGuard.ts'

export interface Infra {
  db: Db
  bus: Bus
  natsUrl: string
  close(): Promise<void>
}

/**
 * openConfiguredDb opens the configured database: DATABASE_URL, else the embedded one in
 * <dataDir>/pg; a database built with another zone than JIANCHA_ZONE is refused.
 */
export async function openConfiguredDb(cfg: Config, log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<Db> {
  try {
    return await openDb({ url: cfg.databaseUrl, dataDir: resolve(cfg.dataDir, 'pg'), zone: cfg.zone, log })
  } catch (e) {
    throw asZoneError(e)
  }
}

/**
 * auditKeyOf is the key that signs the audit trail's checkpoints: AUDIT_KEY, else the
 * one in <dataDir>/audit.key, made on first use (say where, so it can be copied away).
 */
export function auditKeyOf(cfg: Config, log: (m: string) => void): string {
  if (cfg.auditKey) return cfg.auditKey
  const path = resolve(cfg.dataDir, 'audit.key')
  const { key, created } = loadOrCreateKey(path)
  if (created) log(`audit: made a new signing key in ${path}; keep a copy outside this machine, or set AUDIT_KEY (every process needs the same)`)
  return key
}

/** openInfra starts or connects the database and the bus, and signs the audit trail's head while open. */
export async function openInfra(cfg: Config, name: string, log: Logger, given?: Db): Promise<Infra> {
  if (given) await checkDbZone(given, cfg.zone)
  const db = given ?? (await openConfiguredDb(cfg, (m) => log.info(m)))
  if (!given) {
    log.info(cfg.databaseUrl ? `database: ${redact(cfg.databaseUrl)}` : `database: embedded PGlite in ${resolve(cfg.dataDir, 'pg')}`, { timescaledb: db.timescale })
  }
  let nats: NatsServer | undefined
  let bus: Bus
  try {
    if (!cfg.natsUrl) {
      // nats-server's own chatter is for debugging; its failures still surface as errors.
      nats = await startNatsServer({ storeDir: resolve(join(cfg.dataDir, 'nats')), log: (m) => log.debug(m) })
      log.info(`bus: started nats-server at ${nats.url}`)
    }
    bus = await Bus.connect({
      url: cfg.natsUrl ?? nats!.url,
      name,
      duplicateWindowMs: cfg.duplicateWindowHours * 3_600_000,
      log: (m) => log.warn(m),
    })
  } catch (e) {
    await nats?.stop()
    if (!given) await db.close()
    throw e
  }
  const checkpoints = startCheckpoints({
    db,
    key: auditKeyOf(cfg, (m) => log.warn(m)),
    now: Date.now,
    everyMs: cfg.auditCheckpointSeconds * 1000,
    anchorFile: cfg.auditAnchorFile,
    log,
  })
  return {
    db,
    bus,
    natsUrl: cfg.natsUrl ?? nats!.url,
    async close() {
      await checkpoints.stop()
      await bus.close().catch(() => {})
      await nats?.stop()
      if (!given) await db.close()
    },
  }
}

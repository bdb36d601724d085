/**
 * Signed checkpoints of the audit trail (the audit_checkpoints table): written every
 * so often by a running platform, read back by `jiancha audit verify` and
 * `jiancha audit head`. See signature.ts for what a checkpoint signs.
 */
import { appendFileSync } from 'node:fs'
import type { Db } from '../db/index.ts'
import { GENESIS } from './chain.ts'
import { sign, type Checkpoint } from './signature.ts'
import { insertCheckpoint, latestCheckpoint, lockTrail, readHead } from './trail.ts'

export { checkpointsAfter, latestCheckpoint } from './trail.ts'

/**
 * writeCheckpoint signs the head of the trail, unless no row was appended since the
 * last checkpoint; it holds the append lock, so the head cannot move meanwhile.
 * Returns the new checkpoint, or null.
 */
export async function writeCheckpoint(db: Db, key: string, now: number): Promise<Checkpoint | null> {
  return db.transaction(async (tx) => {
    await lockTrail(tx)
    const head = await readHead(tx)
    if (!head || head.seq === 0) return null
    const last = await latestCheckpoint(tx)
    if (last && last.seq >= head.seq) return null
    const c = sign(key, head.seq, head.hash, now, last?.mac ?? GENESIS)
    await insertCheckpoint(tx, c)
    return c
  })
}

/** anchorLine is a checkpoint as one JSON line, to record outside the platform (a file, another system, paper). */
export function anchorLine(c: Checkpoint): string {
  return JSON.stringify({ seq: c.seq, hash: c.hash, at: new Date(c.at).toISOString(), keyId: c.keyId, mac: c.mac })
}

/** CheckpointerOptions: the database, the key, how often, where to copy each checkpoint, and the log. */
export interface CheckpointerOptions {
  db: Db
  key: string
  now: () => number
  everyMs: number
  /** a file outside the database that each new checkpoint is appended to, as a JSON line */
  anchorFile?: string
  log: { info(m: string, f?: Record<string, unknown>): void; warn(m: string, f?: Record<string, unknown>): void }
}

/** startCheckpoints signs the head every `everyMs` and once more on stop; several processes may run it at once. */
export function startCheckpoints(opts: CheckpointerOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve()
  const once = (): Promise<void> =>
    (running = running.then(async () => {
      try {
        const c = await writeCheckpoint(opts.db, opts.key, opts.now())
        if (!c) return
        if (opts.anchorFile) appendFileSync(opts.anchorFile, `${anchorLine(c)}\n`, { mode: 0o600 })
        opts.log.info('audit checkpoint signed', { seq: c.seq, keyId: c.keyId })
      } catch (e) {
        // A missed checkpoint is made good by the next; the trail itself is untouched.
        opts.log.warn('audit checkpoint failed; will try again', { error: (e as Error).message })
      }
    }))
  const timer = setInterval(() => void once(), opts.everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await once()
    },
  }
}

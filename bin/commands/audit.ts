/**
 * `jiancha audit verify`: check the audit trail's hash chain and its signed checkpoints,
 * and report the first broken link. `jiancha audit head`: sign the head now and print
 * it as one JSON line, to be recorded outside the platform.
 */
import { readFileSync } from 'node:fs'
import { anchorLine, latestCheckpoint, verifyAudit, writeCheckpoint, type Anchor } from '../../common/audit/index.ts'
import { configHelp, loadConfig } from '../../common/config/index.ts'
import { auditKeyOf, openConfiguredDb } from '../infra.ts'
import type { Command } from '../command.ts'

/** PROGRESS_EVERY is how many rows pass between progress lines on stderr. */
const PROGRESS_EVERY = 100_000
const USAGE = 'jiancha audit verify [--anchor SEQ:HASH | --anchors FILE] [--config FILE]\n       jiancha audit head [--config FILE]'

/** auditCommand is `jiancha audit verify|head`; verify exits 0 when the trail is intact and 1 when broken. */
export const auditCommand: Command = {
  summary: 'verify the audit trail (every row intact, none deleted, checkpoints signed), or print its signed head',
  usage: USAGE,
  options: {
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
    anchor: { type: 'string', help: 'verify: a head recorded elsewhere, as SEQ:HASH or the JSON line `audit head` printed' },
    anchors: { type: 'string', help: 'verify: a file of recorded heads, one per line (e.g. AUDIT_ANCHOR_FILE)' },
  },
  more: () =>
    'verify exits 0 when the trail is intact, 1 when it is broken (the first broken row is named), 2 on a usage error.\n' +
    'The checkpoints\' signatures are checked with AUDIT_KEY (or <dataDir>/audit.key).\n' +
    'head signs the current head of the trail and prints it as one JSON line: keep it where a superuser\n' +
    'of the database cannot reach it, and give it back to verify with --anchor.\n' +
    `See docs/audit.md.\n\nSettings:\n${configHelp()}`,
  async run(values, positionals) {
    const sub = positionals.length === 1 ? positionals[0] : undefined
    if (sub !== 'verify' && sub !== 'head') {
      process.stderr.write(`jiancha audit: expected "verify" or "head", got ${JSON.stringify(positionals.join(' '))}\nUsage: ${USAGE}\n`)
      return 2
    }
    let anchors: Anchor[]
    try {
      anchors = [
        ...(typeof values.anchor === 'string' ? [parseAnchor(values.anchor, '--anchor')] : []),
        ...(typeof values.anchors === 'string' ? readAnchors(values.anchors) : []),
      ]
    } catch (e) {
      process.stderr.write(`jiancha audit: ${(e as Error).message}\n`)
      return 2
    }
    const cfg = loadConfig({ file: values.config as string | undefined })
    const key = auditKeyOf(cfg, (m) => process.stderr.write(`${m}\n`))
    const db = await openConfiguredDb(cfg)
    try {
      if (sub === 'head') {
        const c = (await writeCheckpoint(db, key, Date.now())) ?? (await latestCheckpoint(db))
        if (!c) {
          process.stderr.write('jiancha audit head: the audit trail is empty; nothing to sign yet\n')
          return 1
        }
        process.stdout.write(`${anchorLine(c)}\n`)
        return 0
      }
      const v = await verifyAudit(db, { key, anchors, onProgress: progressLines(PROGRESS_EVERY, (m) => process.stderr.write(m)) })
      if (!v.ok) {
        process.stdout.write(`audit log BROKEN at row ${v.brokenAt}: ${v.reason}\n`)
        return 1
      }
      process.stdout.write(`audit log intact: ${v.rows} rows, head ${v.head}\n`)
      const last = v.lastCheckpoint
      process.stdout.write(
        last
          ? `signed checkpoints: ${v.checkpoints}, the newest at row ${last.seq} (${new Date(last.at).toISOString()}, key ${last.keyId})` +
              `${last.seq < v.rows ? `; rows ${last.seq + 1}–${v.rows} are not signed yet` : ''}\n`
          : 'signed checkpoints: none yet (a running platform signs the head every AUDIT_CHECKPOINT_SECONDS)\n',
      )
      if (anchors.length) process.stdout.write(`recorded heads found in the trail: ${anchors.length}\n`)
      return 0
    } finally {
      await db.close()
    }
  },
}

/** parseAnchor reads a recorded head: SEQ:HASH, or the JSON line `jiancha audit head` prints. */
export function parseAnchor(text: string, where: string): Anchor {
  const t = text.trim()
  let seq: unknown
  let hash: unknown
  if (t.startsWith('{')) {
    try {
      ;({ seq, hash } = JSON.parse(t) as { seq?: unknown; hash?: unknown })
    } catch {
      throw new Error(`${where}: not a JSON line: ${t.slice(0, 80)}`)
    }
  } else [seq, hash] = [Number(t.split(':')[0]), t.split(':')[1]]
  if (!Number.isInteger(seq) || (seq as number) < 1 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new Error(`${where}: a recorded head is SEQ:HASH (a row number and 64 hex digits), got ${JSON.stringify(t.slice(0, 100))}`)
  }
  return { seq: seq as number, hash }
}

function readAnchors(path: string): Anchor[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new Error(`--anchors: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return text.split('\n').map((l, i) => [l, i] as const).filter(([l]) => l.trim()).map(([l, i]) => parseAnchor(l, `${path} line ${i + 1}`))
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

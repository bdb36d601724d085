/**
 * Hot reload of the rules settings file. A watcher reads the file when it changes,
 * validates it and, only if it is valid, sends its text over the bus; every rules
 * worker applies what arrives. A bad edit is refused with the reason, and the rules
 * in force stay in force.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs'
import type { Bus } from '../common/bus/index.ts'
import { appendAudit } from '../common/audit/index.ts'
import type { Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import { parseRulesFile } from './rulesFile.ts'
import type { RuleSettings } from './settings.ts'

/** RULES_TOPIC is the live bus topic that carries validated settings files. */
export const RULES_TOPIC = 'rules.settings'

/** SettingsMessage is a validated rules file as sent to the workers. */
export interface SettingsMessage {
  origin: string
  text: string
}

/** watchRulesFile polls the file (robust to editors that replace it) and publishes valid versions. */
export function watchRulesFile(path: string, bus: Bus, log: Logger, intervalMs = 1000): { stop(): void } {
  const onChange = (cur: { mtimeMs: number }, prev: { mtimeMs: number }) => {
    if (cur.mtimeMs === prev.mtimeMs) return
    let text: string
    try {
      text = readFileSync(path, 'utf8')
      parseRulesFile(text, path)
    } catch (e) {
      log.error(`rules file refused, the rules in force stay: ${(e as Error).message}`)
      return
    }
    bus.publishLive(RULES_TOPIC, { origin: path, text } satisfies SettingsMessage)
  }
  watchFile(path, { interval: intervalMs }, onChange)
  return { stop: () => unwatchFile(path, onChange) }
}

/** acceptSettings validates a message again (it crossed a process boundary) and returns the settings, or null. */
export function acceptSettings(msg: SettingsMessage, log: Logger): RuleSettings | null {
  try {
    return parseRulesFile(msg.text, msg.origin)
  } catch (e) {
    log.error(`rules settings refused, the rules in force stay: ${(e as Error).message}`)
    return null
  }
}

/**
 * recordVersion keeps the text of each settings version, so alerts can be traced to
 * it; a version seen for the first time is a change of the rules in force and enters
 * the audit trail (`rules.reloaded`) in the same transaction. Returns true when new.
 */
export async function recordVersion(db: Db, s: RuleSettings, origin: string, text: string, at: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query('INSERT INTO rules_versions (version, origin, content) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING', [s.version, origin, text])
    if (!r.rowCount) return false
    await appendAudit(tx, { at, actor: 'rules', action: 'rules.reloaded', subject: `rules:${s.version}`, detail: { origin } })
    return true
  })
}

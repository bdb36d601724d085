/**
 * 主动巡检: an inspector flags a case by hand, with a reason. The flag is a card like
 * any other (rule `inspection.flag`), published on the alerts stream so that the
 * alert service stores it once and announces it live. The rules engine never
 * withdraws it: no later event disproves an inspector's judgement.
 */
import { alertKey, type CardMessage, isPlainText, type Kind, KINDS, type Level } from '../common/contract/index.ts'
import { textProblem } from '../common/http/index.ts'
import { alertSubject, type Bus } from '../common/bus/index.ts'
import type { Clock } from '../common/time/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { loadCase } from '../rules/index.ts'
import { isStanding } from './store.ts'

/** FLAG_RULE is the rule name of a card an inspector raised by hand. */
export const FLAG_RULE = 'inspection.flag'

const MAX_CASE_ID = 200
const MIN_REASON = 4
const MAX_REASON = 500

/** FlagInput is a validated flag request. */
export interface FlagInput {
  kind: Kind
  caseId: string
  reason: string
  level: Level
  inspector: string
}

/** FlagRequest is a flag request as it arrives: fields not yet checked, the inspector from the token. */
export interface FlagRequest {
  kind?: unknown
  caseId?: unknown
  reason?: unknown
  level?: unknown
  inspector: string
}

/** FlagResult says whether the flag raised a card or one was already open. */
export interface FlagResult {
  status: 'flagged' | 'already'
  card: CardMessage
}

/** FlagDeps is what flagCase reads from and publishes to. */
export interface FlagDeps {
  db: Queryable
  bus: Pick<Bus, 'publish'>
  clock: Clock
  format: (t: number) => string
  settingsVersion: string
}

/** FlagError is a flag request that cannot be filed; `field` names the bad input (HTTP 400). */
export class FlagError extends Error {
  constructor(readonly field: string, message: string) {
    super(message)
    this.name = 'FlagError'
  }
}

/** CaseNotFound is a flag on a case with no events: inspectors flag real cases (HTTP 404). */
export class CaseNotFound extends Error {
  constructor(readonly kind: Kind, readonly caseId: string) {
    super(`no ${kind} case ${JSON.stringify(caseId)}: flag a case the platform has received events for`)
    this.name = 'CaseNotFound'
  }
}

/** flagCard builds the card of a flag: one open flag per case and level, caused by the case's events. */
export function flagCard(input: {
  kind: Kind
  caseId: string
  reason: string
  level: Level
  inspector: string
  now: number
  dept: string
  causes: string[]
  format: (t: number) => string
  settingsVersion: string
}): CardMessage {
  return {
    key: alertKey(FLAG_RULE, input.level, input.kind, input.caseId),
    rule: FLAG_RULE,
    level: input.level,
    kind: input.kind,
    caseId: input.caseId,
    dept: input.dept,
    at: input.format(input.now),
    causes: [...input.causes],
    settingsVersion: input.settingsVersion,
    note: { reason: input.reason, by: input.inspector },
  }
}

/**
 * validateFlag checks a request and returns it cleaned (reason trimmed, level defaulted),
 * or throws FlagError. What it passes is stored as it is: the card goes on the alerts
 * stream after the 201, so anything the database would refuse there (a NUL, an unpaired
 * surrogate) must be refused here, not retried by the alert service for ever.
 */
export function validateFlag(req: FlagRequest): FlagInput {
  const { kind, caseId, reason, level = 'yellow', inspector } = req
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    throw new FlagError('kind', `kind must be one of ${KINDS.join(', ')}, got ${show(kind)}`)
  }
  if (typeof caseId !== 'string' || !caseId.trim()) throw new FlagError('caseId', `caseId must be a non-empty string, got ${show(caseId)}`)
  if (caseId.length > MAX_CASE_ID) throw new FlagError('caseId', `caseId must be at most ${MAX_CASE_ID} characters, got ${caseId.length}`)
  // The contract's rule for case ids: a case with anything else in its id cannot have reached us.
  if (!isPlainText(caseId) || textProblem(caseId)) {
    throw new FlagError('caseId', `caseId must not contain control or bidirectional-override characters, got ${show(caseId)}`)
  }
  if (typeof reason !== 'string') throw new FlagError('reason', `reason must be a string of ${MIN_REASON} to ${MAX_REASON} characters, got ${show(reason)}`)
  const unstorable = textProblem(reason)
  if (unstorable) throw new FlagError('reason', `reason ${unstorable}`)
  const text = reason.trim()
  const n = [...text].length // characters, not UTF-16 units: 超期未办 is four
  if (n < MIN_REASON || n > MAX_REASON) {
    throw new FlagError('reason', `reason must be ${MIN_REASON} to ${MAX_REASON} characters (trimmed), got ${n}`)
  }
  if (level !== 'yellow' && level !== 'red') throw new FlagError('level', `level must be yellow or red, got ${show(level)}`)
  if (!inspector) throw new FlagError('inspector', 'the inspector is unknown')
  return { kind: kind as Kind, caseId, reason: text, level, inspector }
}

/**
 * flagCase files a flag: it validates the request, reads the case's events, and
 * publishes the card unless one with the same key is open. The alert service stores
 * it; msgId = key, so two flags racing past the check publish one card.
 */
export async function flagCase(deps: FlagDeps, req: FlagRequest): Promise<FlagResult> {
  const input = validateFlag(req)
  const events = await loadCase(deps.db, input.kind, input.caseId)
  const latest = events.at(-1)
  if (!latest) throw new CaseNotFound(input.kind, input.caseId)
  const card = flagCard({
    ...input,
    now: deps.clock.now(),
    dept: latest.ev.dept,
    causes: events.map((te) => te.ev.id),
    format: deps.format,
    settingsVersion: deps.settingsVersion,
  })
  if (await isStanding(deps.db, card.key)) return { status: 'already', card }
  const r = await deps.bus.publish(alertSubject(card.level, card.dept), card, card.key)
  return { status: r.duplicate ? 'already' : 'flagged', card }
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 60)}…` : s
}

/**
 * Subject layout of the Jiancha bus. Every variable part goes through
 * subjectToken so that a department code such as "市局.办公室" stays one token
 * and can never turn into a wildcard or an extra level.
 */

/** SUBJECT_ROOT is the first token of every Jiancha subject. */
export const SUBJECT_ROOT = 'jiancha'

// Characters that are safe inside a NATS token and that we leave as they are.
const SAFE = /^[A-Za-z0-9_-]$/
const HEX = '0123456789ABCDEF'
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * subjectToken encodes any string as one NATS subject token: characters outside
 * [A-Za-z0-9_-] become %XX of their UTF-8 bytes, and the empty string becomes "%".
 */
export function subjectToken(s: string): string {
  if (s === '') return '%'
  let out = ''
  for (const ch of s) {
    if (SAFE.test(ch)) {
      out += ch
      continue
    }
    for (const b of encoder.encode(ch)) out += '%' + HEX[b >> 4] + HEX[b & 15]
  }
  return out
}

/** decodeSubjectToken reverses subjectToken and throws on a token it could not have produced. */
export function decodeSubjectToken(token: string): string {
  if (token === '%') return ''
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(token)) {
    throw new Error(`invalid subject token: ${JSON.stringify(token)}`)
  }
  const bytes: number[] = []
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '%') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(token.charCodeAt(i))
    }
  }
  return decoder.decode(new Uint8Array(bytes))
}

/** eventSubject is where an event of `kind` for department `dept` is published. */
export function eventSubject(kind: string, dept: string): string {
  return `${SUBJECT_ROOT}.events.${subjectToken(kind)}.${subjectToken(dept)}`
}

/** alertSubject is where an alert of `level` for department `dept` is published. */
export function alertSubject(level: string, dept: string): string {
  return `${SUBJECT_ROOT}.alerts.${subjectToken(level)}.${subjectToken(dept)}`
}

/** deadSubject is where a message that consumers of `stream` gave up on is kept. */
export function deadSubject(stream: string): string {
  return `${SUBJECT_ROOT}.dead.${subjectToken(stream)}`
}

/** deadFilter matches every dead letter. */
export function deadFilter(): string {
  return `${SUBJECT_ROOT}.dead.>`
}

/** liveSubject is the core-NATS (not persisted) fan-out subject of a live topic. */
export function liveSubject(topic: string): string {
  return `${SUBJECT_ROOT}.live.${subjectToken(topic)}`
}

/** controlSubject is the core-NATS subject of a control topic. */
export function controlSubject(topic: string): string {
  return `${SUBJECT_ROOT}.control.${subjectToken(topic)}`
}

/** eventsFilter matches all events, or only those of one kind. */
export function eventsFilter(kind?: string): string {
  return kind === undefined ? `${SUBJECT_ROOT}.events.>` : `${SUBJECT_ROOT}.events.${subjectToken(kind)}.*`
}

/** alertsFilter matches all alerts, or only those of one level. */
export function alertsFilter(level?: string): string {
  return level === undefined ? `${SUBJECT_ROOT}.alerts.>` : `${SUBJECT_ROOT}.alerts.${subjectToken(level)}.*`
}

/** ParsedSubject is the decoded variable part of an events or alerts subject. */
export interface ParsedSubject {
  family: 'events' | 'alerts'
  /** kind for events, level for alerts */
  category: string
  dept: string
}

/** parseSubject decodes an events or alerts subject, or returns null for anything else. */
export function parseSubject(subject: string): ParsedSubject | null {
  const parts = subject.split('.')
  if (parts.length !== 4 || parts[0] !== SUBJECT_ROOT) return null
  const family = parts[1]
  if (family !== 'events' && family !== 'alerts') return null
  try {
    return { family, category: decodeSubjectToken(parts[2]!), dept: decodeSubjectToken(parts[3]!) }
  } catch {
    return null
  }
}

/**
 * A complaint from the public (公众投诉) as a petition event: the form is checked
 * here, then the complaint becomes a `registered` petition of source `public` with a
 * tracking number (投诉编号) as its case id and event id. A phone given becomes an
 * opaque petitioner id (its HMAC), so that repeat complaints count as repeat petitions
 * while the id carries no phone number.
 */
import { createHmac, randomInt } from 'node:crypto'
import type { CaseEvent, ComplaintInput } from '../../../common/contract/index.ts'
import { CODE_ALPHABET } from './checkCode.ts'

/** PUBLIC_SOURCE is the collector source the complaints come in as. */
export const PUBLIC_SOURCE = 'public'

/** COMPLAINT_LIMITS bound each field, in characters. */
export const COMPLAINT_LIMITS = { subject: 100, details: 2000, name: 50, phone: 20 } as const

/** ComplaintError names the field of the form that is wrong. */
export class ComplaintError extends Error {
  constructor(readonly field: string, message: string) {
    super(message)
  }
}

/** readComplaint checks a posted form against the departments that may be named; throws ComplaintError. */
export function readComplaint(body: Record<string, unknown>, depts: ReadonlySet<string>): ComplaintInput {
  const text = (field: keyof typeof COMPLAINT_LIMITS, required: boolean): string | undefined => {
    const v = body[field]
    if (v === undefined || v === null || v === '') {
      if (required) throw new ComplaintError(field, `${field} is required`)
      return undefined
    }
    if (typeof v !== 'string') throw new ComplaintError(field, `${field} must be a string`)
    const s = v.trim()
    if (required && !s) throw new ComplaintError(field, `${field} is required`)
    if ([...s].length > COMPLAINT_LIMITS[field]) throw new ComplaintError(field, `${field} must be at most ${COMPLAINT_LIMITS[field]} characters`)
    if (/[\u0000-\u0008\u000b-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(s)) throw new ComplaintError(field, `${field} holds control characters`)
    return s || undefined
  }
  const dept = body.dept
  if (typeof dept !== 'string' || !depts.has(dept)) throw new ComplaintError('dept', 'dept must name a department of the list')
  const phone = text('phone', false)
  if (phone !== undefined && !/^\+?[\d\s-]{5,20}$/.test(phone)) throw new ComplaintError('phone', 'phone must be digits, spaces or dashes')
  const out: ComplaintInput = { dept, subject: text('subject', true)!, details: text('details', true)! }
  const name = text('name', false)
  if (name) out.name = name
  if (phone) out.phone = phone
  return out
}

/** trackingNumber makes a complaint's number: TS, the local date, a dash, 6 characters (e.g. TS20261124-7K3QXM). */
export function trackingNumber(localDate: string): string {
  let s = ''
  for (let i = 0; i < 6; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `TS${localDate.replaceAll('-', '')}-${s}`
}

/** complaintEvent is the petition event a complaint enters the platform as. */
export function complaintEvent(c: ComplaintInput, tracking: string, at: string, key: string): CaseEvent {
  const petitionerId = c.phone
    ? `public:${createHmac('sha256', key).update(`petitioner\u0000${c.phone.replace(/[\s-]/g, '')}`).digest('hex').slice(0, 32)}`
    : `public:${tracking}`
  const attrs: Record<string, unknown> = { petitionerId, subject: c.subject, details: c.details, channel: 'public' }
  if (c.name) attrs.petitionerName = c.name
  if (c.phone) attrs.phone = c.phone
  return { id: tracking, source: PUBLIC_SOURCE, kind: 'petition', type: 'registered', caseId: tracking, dept: c.dept, at, attrs }
}

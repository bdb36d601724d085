/**
 * Routing: who in the card's department is texted. A small table of routes, first
 * match wins, says which roles get a card by rule, level and department; the
 * defaults send yellow cards to the duty contact and red cards to the duty contact
 * and the head. A department without the contact a route needs keeps its notice,
 * flagged `no_contact`, so inspectors see it rather than it being lost.
 */
import type { Alert, Level } from '../../common/contract/index.ts'
import { decide, type Notice, type Recipient, type Role, type Stage } from './stage.ts'

/** Contact is a person a department is texted at. */
export interface Contact {
  name: string
  /** E.164, e.g. +8613800138000 */
  phone: string
}

/** DeptContacts is a department's duty contact and head, either possibly missing. */
export type DeptContacts = Partial<Record<Role, Contact>>

/** ContactsOf looks up a department's contacts (contactStore.contactsOf, bound to a db). */
export type ContactsOf = (dept: string) => Promise<DeptContacts> | DeptContacts

/**
 * RouteRule sends the cards it matches to roles. Each matcher it sets must match;
 * `rule` is a rule id or a prefix ending in `.*` (petition.*). An empty `to` keeps
 * matching cards off the phones (the wall still shows them).
 */
export interface RouteRule {
  rule?: string
  level?: Level
  dept?: string
  to: readonly Role[]
}

/** DEFAULT_ROUTES apply after the configured routes: yellow → duty, red → duty + head. */
export const DEFAULT_ROUTES: readonly RouteRule[] = [
  { level: 'yellow', to: ['duty'] },
  { level: 'red', to: ['duty', 'head'] },
]

const ROLES: readonly Role[] = ['duty', 'head']

/** ruleMatches tells whether a rule pattern (an id, or a prefix ending in `.*`) matches a rule id. */
export function ruleMatches(pattern: string, rule: string): boolean {
  return pattern.endsWith('.*') ? rule.startsWith(pattern.slice(0, -1)) : pattern === rule
}

/** routeFor returns the first route that matches the alert, the defaults last. */
export function routeFor(routes: readonly RouteRule[], alert: Alert): RouteRule {
  const match = (r: RouteRule) =>
    (r.rule === undefined || ruleMatches(r.rule, alert.rule)) &&
    (r.level === undefined || r.level === alert.level) &&
    (r.dept === undefined || r.dept === alert.dept)
  return routes.find(match) ?? DEFAULT_ROUTES.find(match) ?? { to: ['duty'] }
}

/** checkRoutes validates a routing table read from settings; it throws naming the bad entry. */
export function checkRoutes(raw: unknown, where = 'routes'): RouteRule[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: must be a list`)
  return raw.map((r: unknown, i) => {
    const at = `${where}[${i}]`
    if (typeof r !== 'object' || r === null) throw new Error(`${at}: must be a mapping`)
    const { rule, level, dept, to, ...rest } = r as Record<string, unknown>
    const extra = Object.keys(rest)
    if (extra.length > 0) throw new Error(`${at}.${extra[0]}: unknown key; a route takes rule, level, dept, to`)
    if (rule !== undefined && (typeof rule !== 'string' || rule === '')) throw new Error(`${at}.rule: must be a rule id or a prefix like petition.*`)
    if (level !== undefined && level !== 'yellow' && level !== 'red') throw new Error(`${at}.level: must be yellow or red`)
    if (dept !== undefined && (typeof dept !== 'string' || dept === '')) throw new Error(`${at}.dept: must be a department code`)
    if (!Array.isArray(to) || !to.every((x) => ROLES.includes(x as Role))) throw new Error(`${at}.to: must be a list of duty, head`)
    const out: RouteRule = { to: [...new Set(to as Role[])] }
    if (rule !== undefined) out.rule = rule as string
    if (level !== undefined) out.level = level as Level
    if (dept !== undefined) out.dept = dept as string
    return out
  })
}

/** recipientsOf picks the contacts of the roles, one message per phone; it also lists the roles nobody fills. */
export function recipientsOf(roles: readonly Role[], contacts: DeptContacts): { recipients: Recipient[]; missing: Role[] } {
  const recipients: Recipient[] = []
  const missing: Role[] = []
  for (const role of roles) {
    const c = contacts[role]
    if (!c) missing.push(role)
    else if (!recipients.some((r) => r.phone === c.phone)) recipients.push({ role, name: c.name, phone: c.phone })
  }
  return { recipients, missing }
}

/**
 * routeStage gives each notice its recipients: one notice per recipient, or the notice
 * alone, flagged, when nobody is there. A notice routed already passes unchanged.
 */
export function routeStage(contactsOf: ContactsOf, routes: readonly RouteRule[]): Stage {
  return {
    name: 'route',
    async exec(ctx, items) {
      const byDept = new Map<string, DeptContacts>()
      const out: Notice[] = []
      for (const n of items) {
        if (n.recipient) {
          out.push(n)
          continue
        }
        const roles = routeFor(routes, n.alert).to
        if (roles.length === 0) {
          decide(ctx, 'route', n, 'drop', 'no_route')
          continue
        }
        let contacts = byDept.get(n.alert.dept)
        if (!contacts) byDept.set(n.alert.dept, (contacts = await contactsOf(n.alert.dept)))
        const { recipients, missing } = recipientsOf(roles, contacts)
        for (const role of missing) decide(ctx, 'route', n, 'keep', 'no_contact', { role })
        if (recipients.length === 0) out.push(n)
        for (const recipient of recipients) out.push({ ...n, recipient })
      }
      return out
    },
  }
}

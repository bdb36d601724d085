/**
 * The app's tiny hash router: which page a `#/…` hash names, which pages each role
 * may open, and where a signed-in user lands. Pure: App.vue reads location.hash
 * and writes the result back, so the whole decision is tested here.
 */
import type { Role } from '../../../common/contract/api.ts'

/** Page is a screen of the app. */
export type Page = 'login' | 'wall' | 'leader' | 'console' | 'silences' | 'contacts' | 'users' | 'departments' | 'status' | 'case' | 'public'

/** NavPage is a page of the menu: every page but the login page, one case's page and the public page. */
export type NavPage = Exclude<Page, 'login' | 'case' | 'public'>

/** Route is a page, plus the thread open on the console. */
export interface Route {
  page: Page
  /** the thread shown beside the list (#/console/12) */
  thread?: number
  /** the case of the case page (#/case/<kind>/<caseId>) */
  caseKind?: string
  caseId?: string
  /** the wall's options (#/wall?kiosk=1&rotate=30, see wallOptions.ts) or the cockpit's view (#/leader?period=2026-11, cockpitView.ts), kept as written */
  query?: string
}

/**
 * NAV_PAGES are the pages a signed-in user can open, in menu order, by role; only an admin manages accounts and departments, and sees the platform's status.
 * The leader's cockpit (rankings of every department) is for leaders, inspectors and admins, not for a department.
 */
const NAV_PAGES: Record<Role, readonly NavPage[]> = {
  inspector: ['wall', 'console', 'leader', 'silences'],
  leader: ['leader', 'wall', 'console'],
  department: ['console', 'wall'],
  admin: ['wall', 'console', 'leader', 'silences', 'contacts', 'users', 'departments', 'status'],
}

const PAGES: ReadonlySet<string> = new Set<Page>(['login', 'wall', 'leader', 'console', 'silences', 'contacts', 'users', 'departments', 'status', 'public'])
const KINDS: ReadonlySet<string> = new Set(['approval', 'enforcement', 'petition', 'supervision'])

/** parseHash reads `#/page`, `#/console/<id>` or `#/case/<kind>/<caseId>`; null for no hash or one it does not know. */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#/, '').split('?')[0] ?? ''
  const parts = path.split('/').filter(Boolean)
  if (parts[0] === 'case') return parseCase(parts)
  const [page, arg, ...more] = parts
  if (page === undefined || !PAGES.has(page) || more.length) return null
  const query = hash.split('?').slice(1).join('?')
  if (arg === undefined) return (page === 'wall' || page === 'leader') && query ? { page, query } : { page: page as Page }
  if (page !== 'console' || !/^[1-9]\d{0,14}$/.test(arg)) return null
  return { page: 'console', thread: Number(arg) }
}

/** parseCase reads `case/<kind>/<caseId>`, the case id percent-encoded. */
function parseCase(parts: string[]): Route | null {
  const [, kind, id, ...more] = parts
  if (kind === undefined || id === undefined || more.length || !KINDS.has(kind)) return null
  let caseId: string
  try {
    caseId = decodeURIComponent(id)
  } catch {
    return null
  }
  return caseId ? { page: 'case', caseKind: kind, caseId } : null
}

/** toHash writes a route as a hash, the inverse of parseHash. */
export function toHash(r: Route): string {
  if (r.page === 'case' && r.caseKind && r.caseId) return caseHash(r.caseKind, r.caseId)
  if ((r.page === 'wall' || r.page === 'leader') && r.query) return `#/${r.page}?${r.query}`
  return r.page === 'console' && r.thread !== undefined ? `#/console/${r.thread}` : `#/${r.page}`
}

/** caseHash is the address of a case's page, linked from every card and thread. */
export function caseHash(kind: string, caseId: string): string {
  return `#/case/${kind}/${encodeURIComponent(caseId)}`
}

/** pagesFor lists the pages a role may open, in menu order (never the login page). */
export function pagesFor(role: Role): readonly NavPage[] {
  return NAV_PAGES[role] ?? []
}

/** homeOf is where a role lands: a department works its threads, everyone else watches the wall. */
export function homeOf(role: Role): Page {
  return role === 'department' ? 'console' : 'wall'
}

/**
 * resolveRoute decides what to show for a wanted route: the login page when nobody is
 * signed in, else the wanted page if the role may open it, else the role's home.
 */
export function resolveRoute(wanted: Route | null, role: Role | null): Route {
  // The public page needs nobody signed in; a case page, anyone signed in (the server cuts it to the reader's scope).
  if (wanted?.page === 'public') return wanted
  if (role === null) return { page: 'login' }
  if (wanted?.page === 'case' && wanted.caseKind && wanted.caseId) return wanted
  if (wanted && wanted.page !== 'login' && wanted.page !== 'case' && pagesFor(role).includes(wanted.page)) return wanted
  return { page: homeOf(role) }
}

/** sameRoute tells whether two routes show the same thing. */
export function sameRoute(a: Route, b: Route): boolean {
  return a.page === b.page && a.thread === b.thread && a.caseKind === b.caseKind && a.caseId === b.caseId
}

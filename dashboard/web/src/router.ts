/**
 * The app's tiny hash router: which page a `#/…` hash names, which pages each role
 * may open, and where a signed-in user lands. Pure: App.vue reads location.hash
 * and writes the result back, so the whole decision is tested here.
 */
import type { Role } from '../../../common/contract/api.ts'

/** Page is a screen of the app. */
export type Page = 'login' | 'wall' | 'console' | 'silences' | 'contacts' | 'users' | 'departments' | 'status'

/** NavPage is a page of the menu: every page but the login page. */
export type NavPage = Exclude<Page, 'login'>

/** Route is a page, plus the thread open on the console. */
export interface Route {
  page: Page
  /** the thread shown beside the list (#/console/12) */
  thread?: number
}

/** NAV_PAGES are the pages a signed-in user can open, in menu order, by role; only an admin manages accounts and departments, and sees the platform's status. */
const NAV_PAGES: Record<Role, readonly NavPage[]> = {
  inspector: ['wall', 'console', 'silences'],
  leader: ['wall', 'console'],
  department: ['console', 'wall'],
  admin: ['wall', 'console', 'silences', 'contacts', 'users', 'departments', 'status'],
}

const PAGES: ReadonlySet<string> = new Set<Page>(['login', 'wall', 'console', 'silences', 'contacts', 'users', 'departments', 'status'])

/** parseHash reads `#/page` or `#/console/<id>`; null for no hash or one it does not know. */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#/, '').split('?')[0] ?? ''
  const [page, arg, ...more] = path.split('/').filter(Boolean)
  if (page === undefined || !PAGES.has(page) || more.length) return null
  if (arg === undefined) return { page: page as Page }
  if (page !== 'console' || !/^[1-9]\d{0,14}$/.test(arg)) return null
  return { page: 'console', thread: Number(arg) }
}

/** toHash writes a route as a hash, the inverse of parseHash. */
export function toHash(r: Route): string {
  return r.page === 'console' && r.thread !== undefined ? `#/console/${r.thread}` : `#/${r.page}`
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
  if (role === null) return { page: 'login' }
  if (wanted && wanted.page !== 'login' && pagesFor(role).includes(wanted.page)) return wanted
  return { page: homeOf(role) }
}

/** sameRoute tells whether two routes show the same thing. */
export function sameRoute(a: Route, b: Route): boolean {
  return a.page === b.page && a.thread === b.thread
}

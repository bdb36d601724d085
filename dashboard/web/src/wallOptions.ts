/**
 * Wall options from the address: `#/wall?kiosk=1&rotate=30&stale=5&page=rank` (or the
 * same in the page's query string). kiosk hides the menu and scales the fixed 1920×1080
 * design to the screen; rotate turns the pages every N seconds; stale is the minutes
 * without an event before the wall says its data is stale; page is the page it opens on. Bad values fall back to
 * the defaults rather than break a wall on a screen nobody can type on.
 */
import { DEFAULT_STALE_MINUTES } from './freshness.ts'

/** WALL_PAGES are the wall's pages, in playlist order: live cards, trends, the ranking board. */
export const WALL_PAGES = ['live', 'trends', 'rank'] as const

/** WallPageId names one page of the wall. */
export type WallPageId = (typeof WALL_PAGES)[number]

/** WallOptions configures one wall screen. */
export interface WallOptions {
  kiosk: boolean
  /** the page shown first */
  page: WallPageId
  /** seconds each page shows; 0: no rotation */
  rotateSeconds: number
  staleMinutes: number
}

/** DEFAULT_ROTATE_SECONDS is the page time in kiosk mode when rotate is not given. */
export const DEFAULT_ROTATE_SECONDS = 30
/** MIN_ROTATE_SECONDS keeps a page on screen long enough to be read. */
export const MIN_ROTATE_SECONDS = 5

/** wallOptions reads the options; the hash's query wins over the page's. */
export function wallOptions(hash: string, search: string): WallOptions {
  const q = new URLSearchParams(search)
  const h = new URLSearchParams(hash.split('?')[1] ?? '')
  const get = (k: string) => h.get(k) ?? q.get(k)
  const kiosk = ['1', 'true', 'yes'].includes((get('kiosk') ?? '').toLowerCase())
  const rotate = Number(get('rotate'))
  const rotateSeconds = get('rotate') === null ? (kiosk ? DEFAULT_ROTATE_SECONDS : 0) : Number.isFinite(rotate) && rotate > 0 ? Math.max(MIN_ROTATE_SECONDS, rotate) : 0
  const stale = Number(get('stale'))
  const staleMinutes = Number.isFinite(stale) && stale > 0 ? stale : DEFAULT_STALE_MINUTES
  const page = WALL_PAGES.find((p) => p === get('page')) ?? 'live'
  return { kiosk, page, rotateSeconds, staleMinutes }
}

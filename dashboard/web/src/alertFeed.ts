/**
 * The alert feed: the wall's list of cards, newest first by when they were raised
 * (`raisedAt`), unique by `key`, and never longer than its capacity, so a wall left on
 * for days holds flat memory. Not by the event's instant (`at`): a card raised now for
 * an older event is news, and must reach the top where a watcher looks.
 * Functions return new arrays; the caller swaps them in whole.
 */
import type { AlertView } from '../../../common/contract/api.ts'

/** FEED_CAPACITY is how many cards the wall keeps in memory. */
export const FEED_CAPACITY = 200

/** FEED_RENDER_LIMIT is how many cards the wall puts on screen. */
export const FEED_RENDER_LIMIT = 50

/** FeedInsert is the result of offering a card to the feed. */
export interface FeedInsert {
  feed: AlertView[]
  /** The key was already in the feed: the card is a repeat and must not be counted again. */
  duplicate: boolean
}

/** raisedAt is when a card was raised; a card without `raisedAt` (an older server) falls back to `at`. */
export function raisedAt(card: Pick<AlertView, 'at' | 'raisedAt'>): string {
  return card.raisedAt && Number.isFinite(Date.parse(card.raisedAt)) ? card.raisedAt : card.at
}

function raisedMs(card: Pick<AlertView, 'at' | 'raisedAt'>): number {
  return Date.parse(raisedAt(card))
}

/**
 * insertCard puts a card into the feed at its place by `raisedAt`. A live card usually
 * becomes the head; one raised earlier (held during a reconnect) slides in below newer
 * cards, or falls off the end when it is older than everything the feed keeps.
 */
export function insertCard(feed: readonly AlertView[], card: AlertView, capacity = FEED_CAPACITY): FeedInsert {
  if (feed.some((c) => c.key === card.key)) return { feed: feed as AlertView[], duplicate: true }
  const raised = raisedMs(card)
  let i = 0
  // Equal instants go first: among simultaneous cards the one that arrived last leads.
  while (i < feed.length && raisedMs(feed[i]!) > raised) i++
  if (i >= capacity) return { feed: feed as AlertView[], duplicate: false }
  const next = [...feed.slice(0, i), card, ...feed.slice(i, capacity - 1)]
  return { feed: next, duplicate: false }
}

/** feedFromCards builds a feed from a snapshot's cards: deduplicated, newest raised first, capped. */
export function feedFromCards(cards: readonly AlertView[], capacity = FEED_CAPACITY): AlertView[] {
  const seen = new Set<string>()
  const unique = cards.filter((c) => !seen.has(c.key) && seen.add(c.key))
  return unique.sort((a, b) => raisedMs(b) - raisedMs(a)).slice(0, capacity)
}

/**
 * storeCards applies a batch of cards in one transaction, in stream order: each card
 * stored once per key (or withdrawn), its case's supervision thread opened or upgraded,
 * and each change audited, all in that transaction. When the database refuses the
 * batch for what is in it (a value, a constraint), the refused cards are found by
 * bisection under savepoints, so that the others still commit, in order, and only the
 * refused ones are left out, each with the database's reason. Trouble that is not
 * about the cards (the database gone, a lock timeout) fails the whole batch, to be
 * tried again as it is.
 */
import { type DeferredAudits, recordAudit, withDeferredAudits } from '../common/audit/index.ts'
import type { CardMessage } from '../common/contract/index.ts'
import { type Db, type Queryable, refusedForData } from '../common/db/index.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { saveAlert, withdrawAlert } from './store.ts'

/** CardsOutcome tells what became of a batch, by index in the batch. */
export interface CardsOutcome {
  /** the cards that changed the store (stored, or withdrawn) now; the others not refused had done so before */
  changed: Set<number>
  /** index → why the database refused that card */
  refused: Map<number, Error>
}

/** storeCards applies what it can of `cards` at `now`; see the top of this file. */
export async function storeCards(db: Db, threads: ThreadStore, cards: readonly CardMessage[], now: number): Promise<CardsOutcome> {
  const all = [...cards.keys()]
  try {
    // The audit entries of the whole batch are appended together at its end.
    const changed = await db.transaction((tx) => withDeferredAudits(tx, (audits) => applyCards(audits.tx, threads, cards, all, now)))
    return { changed, refused: new Map() }
  } catch (e) {
    if (!refusedForData(e)) throw e
  }
  const out: CardsOutcome = { changed: new Set(), refused: new Map() }
  await db.transaction((tx) => withDeferredAudits(tx, (audits) => bisect(audits, threads, cards, all, now, out)))
  return out
}

async function applyCards(tx: Queryable, threads: ThreadStore, cards: readonly CardMessage[], part: readonly number[], now: number): Promise<Set<number>> {
  const changed = new Set<number>()
  for (const i of part) if (await applyCard(tx, threads, cards[i]!, now)) changed.add(i)
  return changed
}

/** applyCard stores or withdraws one card with its thread and audit entry; true when the store changed. */
async function applyCard(tx: Queryable, threads: ThreadStore, card: CardMessage, now: number): Promise<boolean> {
  if (card.withdrawn) {
    if (!(await withdrawAlert(tx, card, card.withdrawn.by, now))) return false
    if (card.kind) await threads.withdrawCard(tx, card.key, card.withdrawn.by, now)
    else await recordAudit(tx, { at: now, actor: 'system:rules', action: 'alert.withdrawn', subject: card.key, detail: { by: card.withdrawn.by } })
    return true
  }
  if (!(await saveAlert(tx, card, now))) return false
  if (card.kind) await threads.openOrUpgrade(tx, card, now)
  else await recordAudit(tx, { at: now, actor: 'system:rules', action: 'alert.raised', subject: card.key, detail: { rule: card.rule, at: card.at } })
  return true
}

// Halves in order, so that the cards that commit are applied in stream order (a red after its yellow).
async function bisect(audits: DeferredAudits, threads: ThreadStore, cards: readonly CardMessage[], part: number[], now: number, out: CardsOutcome): Promise<void> {
  const tx = audits.tx
  const mark = audits.mark()
  await tx.query('SAVEPOINT cards_part')
  try {
    const changed = await applyCards(tx, threads, cards, part, now)
    await tx.query('RELEASE SAVEPOINT cards_part')
    // Counted only once the part holds: what a rolled-back part did never happened.
    for (const i of changed) out.changed.add(i)
    return
  } catch (e) {
    // A database that is gone fails these too, and so the whole batch.
    await tx.query('ROLLBACK TO SAVEPOINT cards_part')
    await tx.query('RELEASE SAVEPOINT cards_part')
    // Nor is it audited.
    audits.rollbackTo(mark)
    if (!refusedForData(e)) throw e
    if (part.length === 1) {
      out.refused.set(part[0]!, e as Error)
      return
    }
  }
  const mid = part.length >> 1
  await bisect(audits, threads, cards, part.slice(0, mid), now, out)
  await bisect(audits, threads, cards, part.slice(mid), now, out)
}

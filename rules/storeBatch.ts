/**
 * storeBatch stores a batch of events in one transaction with one statement. When the
 * database refuses the batch for what is in it (a value it cannot take), the bad rows
 * are found by bisection under savepoints, so that the good ones still commit and only
 * the refused ones are left out, each with the database's reason. Trouble that is not
 * about the rows (the database gone, a lock timeout) fails the whole batch, to be tried
 * again as it is.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { type Db, type Queryable, refusedForData } from '../common/db/index.ts'
import { insertEvents } from './eventStore.ts'

/** StoreOutcome tells what became of a batch: the keys of the events new to the store, and the refused ones by index. */
export interface StoreOutcome {
  /** eventKey of each event that was stored now (the others not refused were stored before) */
  fresh: Set<string>
  /** index in the batch → why the database refused that event */
  refused: Map<number, Error>
}

// Which errors blame the rows is common/db's call, shared with the alert service.
export { refusedForData }

/** storeBatch stores what it can of `events`; see the top of this file. */
export async function storeBatch(db: Db, events: readonly TimedEvent[]): Promise<StoreOutcome> {
  try {
    return { fresh: await db.transaction((tx) => insertEvents(tx, events)), refused: new Map() }
  } catch (e) {
    if (!refusedForData(e)) throw e
  }
  const out: StoreOutcome = { fresh: new Set(), refused: new Map() }
  await db.transaction((tx) => bisect(tx, events, [...events.keys()], out))
  return out
}

async function bisect(tx: Queryable, events: readonly TimedEvent[], part: number[], out: StoreOutcome): Promise<void> {
  await tx.query('SAVEPOINT store_part')
  try {
    const fresh = await insertEvents(tx, part.map((i) => events[i]!))
    await tx.query('RELEASE SAVEPOINT store_part')
    for (const k of fresh) out.fresh.add(k)
    return
  } catch (e) {
    await tx.query('ROLLBACK TO SAVEPOINT store_part')
    await tx.query('RELEASE SAVEPOINT store_part')
    if (!refusedForData(e)) throw e
    if (part.length === 1) {
      out.refused.set(part[0]!, e as Error)
      return
    }
  }
  const mid = part.length >> 1
  await bisect(tx, events, part.slice(0, mid), out)
  await bisect(tx, events, part.slice(mid), out)
}

/** Asking the database whether it answers, within a bound: a health check must not hang with it. */
import type { Queryable } from '../db/index.ts'

/** within resolves or rejects as p does, or rejects once p has taken longer than ms. */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

/** probeDb asks the database for nothing (SELECT 1); it rejects with why the database cannot answer, or when it does not within timeoutMs. */
export async function probeDb(db: Queryable, timeoutMs: number): Promise<void> {
  await within(db.query('SELECT 1'), timeoutMs)
}

/**
 * TimerHeap holds (instant, key) pairs, to wake cases at their next deadline, and
 * gives the keys back earliest instant first. Deadlines fall mostly on a few instants
 * (00:00 of a day), so the keys wait in one bucket per instant and only the distinct
 * instants are kept in a binary min-heap: a push to an instant already waiting is an
 * array push, and the heap stays small enough to stay in the processor's cache. Keys
 * of the same instant come back in no particular order. Entries are never removed
 * early: a stale one is skipped when popped, which keeps updates cheap.
 */
export class TimerHeap<T = string> {
  /** the distinct instants that have keys waiting, as a binary min-heap */
  private readonly instants: number[] = []
  private readonly buckets = new Map<number, T[]>()
  private count = 0

  /** size is the number of entries, stale ones included. */
  get size(): number {
    return this.count
  }

  /** push schedules key at instant t. */
  push(t: number, key: T): void {
    let bucket = this.buckets.get(t)
    if (!bucket) {
      this.buckets.set(t, (bucket = []))
      this.addInstant(t)
    }
    bucket.push(key)
    this.count++
  }

  /** peek returns the earliest instant, or Infinity when empty. */
  peek(): number {
    return this.instants.length ? this.instants[0]! : Infinity
  }

  /** pop removes and returns a key of the earliest instant. */
  pop(): T | undefined {
    if (!this.instants.length) return undefined
    const t = this.instants[0]!
    const bucket = this.buckets.get(t)!
    const key = bucket.pop()
    this.count--
    if (!bucket.length) {
      this.buckets.delete(t)
      this.removeEarliest()
    }
    return key
  }

  private addInstant(t: number): void {
    const h = this.instants
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (h[p]! <= t) break
      h[i] = h[p]!
      i = p
    }
    h[i] = t
  }

  private removeEarliest(): void {
    const h = this.instants
    const last = h.pop()!
    if (!h.length) return
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const m = l + 1 < h.length && h[l + 1]! < h[l]! ? l + 1 : l
      if (h[m]! >= last) break
      h[i] = h[m]!
      i = m
    }
    h[i] = last
  }
}

/**
 * TimerHeap is a min-heap of (instant, key) used to wake cases at their next
 * deadline. Entries are never removed early: a stale one is skipped when popped,
 * which keeps updates O(log n).
 */
export class TimerHeap<T = string> {
  private readonly at: number[] = []
  private readonly keys: T[] = []

  /** size is the number of entries, stale ones included. */
  get size(): number {
    return this.at.length
  }

  /** push schedules key at instant t. */
  push(t: number, key: T): void {
    this.at.push(t)
    this.keys.push(key)
    let i = this.at.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.at[p]! <= t) break
      this.swap(i, p)
      i = p
    }
  }

  /** peek returns the earliest instant, or Infinity when empty. */
  peek(): number {
    return this.at.length ? this.at[0]! : Infinity
  }

  /** pop removes and returns the earliest key. */
  pop(): T | undefined {
    const n = this.at.length
    if (!n) return undefined
    const key = this.keys[0]
    this.swap(0, n - 1)
    this.at.pop()
    this.keys.pop()
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.at.length && this.at[l]! < this.at[m]!) m = l
      if (r < this.at.length && this.at[r]! < this.at[m]!) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
    return key
  }

  private swap(i: number, j: number): void {
    const t = this.at[i]!
    this.at[i] = this.at[j]!
    this.at[j] = t
    const k = this.keys[i]!
    this.keys[i] = this.keys[j]!
    this.keys[j] = k
  }
}

/**
 * The announcer coalesces the kpi worker's "these periods changed" into at most one
 * announcement per interval (1 s): a burst of batches becomes one, naming every
 * period any of them touched. The first change after a quiet interval goes at once, so
 * a lone event reaches the wall as fast as the database allows. A flush that fails
 * keeps its periods for the next one: the figures are re-read, never patched, so an
 * announcement late or merged with the next loses nothing.
 */

/** AnnouncerOptions wire an announcer. */
export interface AnnouncerOptions {
  /** the least time between two flushes (wall time, ms) */
  intervalMs: number
  /** makes the periods' figures readable and announces them; a rejection keeps them for the next flush */
  flush: (periods: string[]) => Promise<void>
}

/** Announcer is a running announcer. */
export interface Announcer {
  /** note says these periods' figures changed (committed) */
  note(periods: Iterable<string>): void
  /** stop drops what is pending and waits for a flush under way */
  stop(): Promise<void>
}

/** startAnnouncer starts an idle announcer. */
export function startAnnouncer(opts: AnnouncerOptions): Announcer {
  const pending = new Set<string>()
  let last = -Infinity
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const schedule = () => {
    if (stopped || running || timer || !pending.size) return
    timer = setTimeout(run, Math.max(0, last + opts.intervalMs - Date.now()))
  }
  const run = () => {
    timer = undefined
    const periods = [...pending].sort()
    pending.clear()
    last = Date.now()
    running = opts.flush(periods).then(
      () => {},
      () => {
        for (const p of periods) pending.add(p)
      },
    )
    void running.then(() => {
      running = undefined
      schedule()
    })
  }

  return {
    note(periods) {
      for (const p of periods) pending.add(p)
      schedule()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      pending.clear()
      await running
    },
  }
}

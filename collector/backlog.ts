/**
 * BacklogGauge samples how far the pipeline behind the collector lags (the rules
 * worker's unfinished messages) once a second, so that every request can read it for
 * free and the collector can push back (HTTP 429) instead of growing the backlog.
 */

/** BacklogGauge keeps the last sample; a failed sample keeps the one before. */
export class BacklogGauge {
  private value = 0
  private timer: NodeJS.Timeout | null = null
  private inFlight = false

  constructor(private readonly sample: () => Promise<number>, private readonly everyMs = 1000, private readonly onError: (e: Error) => void = () => {}) {}

  /** current is the latest sample (0 before the first). */
  get current(): number {
    return this.value
  }

  /** start samples now and then every everyMs. */
  async start(): Promise<this> {
    await this.refresh()
    this.timer = setInterval(() => void this.refresh(), this.everyMs)
    this.timer.unref()
    return this
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** refresh takes one sample, unless one is still under way. */
  async refresh(): Promise<void> {
    if (this.inFlight) return
    this.inFlight = true
    try {
      this.value = await this.sample()
    } catch (e) {
      this.onError(e as Error)
    } finally {
      this.inFlight = false
    }
  }
}

/**
 * Clock is the platform's notion of "now". Rules, escalation and the simulator take
 * a Clock rather than calling Date.now(), so that the same code runs live, in replay
 * and in tests with virtual time.
 */
export interface Clock {
  /** now returns epoch milliseconds. */
  now(): number
}

/** systemClock is wall time. */
export const systemClock: Clock = { now: () => Date.now() }

/**
 * DemoClock runs a time-lapse: it starts at `simStart` (in the past) and advances
 * `speed` times faster than wall time until it catches up with wall time, after which
 * it is wall time. The demo simulator and the rules engine share one, so that
 * simulated days pass in seconds while nothing ever happens "in the future".
 */
export class DemoClock implements Clock {
  private readonly wallStart: number

  constructor(
    private readonly simStart: number,
    readonly speed: number,
    private readonly wall: () => number = Date.now,
  ) {
    this.wallStart = wall()
  }

  now(): number {
    const w = this.wall()
    return Math.min(w, this.simStart + (w - this.wallStart) * this.speed)
  }
}

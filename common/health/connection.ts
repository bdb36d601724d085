/**
 * ConnectionWatch follows one connection a process stands on (the database, the bus)
 * from what is seen of it, and says so in the log once per outage: when it is lost and
 * when it is back, never on every failed try in between.
 */
import type { ConnectionStatus } from '../contract/index.ts'
import type { Logger } from '../log/index.ts'

/** ConnectionWatch is the state of one connection, up or down since when and why. */
export class ConnectionWatch {
  private lost: { since: number; error: string } | null = null

  /** what names the connection in the log ("the database"); impact says what its loss stops. */
  constructor(
    private readonly what: string,
    private readonly log: Pick<Logger, 'info' | 'error'>,
    private readonly impact: () => string = () => '',
    private readonly now: () => number = Date.now,
  ) {}

  /** isUp tells whether the connection worked when last seen. */
  get isUp(): boolean {
    return this.lost === null
  }

  /** up notes that the connection works; after an outage it logs how long the outage lasted. */
  up(): void {
    if (!this.lost) return
    const s = Math.max(0, Math.round((this.now() - this.lost.since) / 1000))
    this.lost = null
    this.log.info(`${this.what} is back after ${s} s`)
  }

  /** down notes a failure (since the instant given, or now); only the first of an outage is logged, later ones update the error. */
  down(error: string, since?: number): void {
    if (this.lost) {
      this.lost.error = error
      return
    }
    this.lost = { since: since ?? this.now(), error }
    const impact = this.impact()
    this.log.error(`${this.what} cannot be reached: ${error}${impact ? `; ${impact}` : ''}; trying again in the background`)
  }

  /** status is the connection as a status report gives it. */
  status(): ConnectionStatus {
    return this.lost ? { up: false, downSince: new Date(this.lost.since).toISOString(), error: this.lost.error } : { up: true }
  }
}

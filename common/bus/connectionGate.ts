/**
 * ConnectionGate tracks whether the NATS connection is up. nats.js v3 throws away
 * whatever was written while disconnected (each dial resets the outbound buffer),
 * so a request sent then can only time out; callers wait at the gate instead.
 */

/** ConnectionEvent is the part of a nats.js status event the gate needs. */
export interface ConnectionEvent {
  type: string
}

/** ConnectionGate lets callers wait until the connection is up. */
export class ConnectionGate {
  private connected = true
  private waiters = new Set<() => void>()

  /** observe feeds one connection status event into the gate. */
  observe(ev: ConnectionEvent): void {
    if (ev.type === 'disconnect') this.connected = false
    else if (ev.type === 'reconnect') this.open()
  }

  /** isConnected reports the last known state. */
  isConnected(): boolean {
    return this.connected
  }

  /** whenConnected resolves true once connected, or false after timeoutMs or when the gate is released. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve(this.connected)
      }
      const timer = setTimeout(done, timeoutMs)
      this.waiters.add(done)
    })
  }

  /** release wakes every waiter, e.g. when the connection is closed for good. */
  release(): void {
    for (const w of [...this.waiters]) w()
  }

  private open(): void {
    this.connected = true
    this.release()
  }
}

/**
 * The reaper makes sure child processes (an embedded nats-server) never outlive
 * this Node process: they get SIGTERM when Node exits or is told to stop by a signal.
 * It cannot help against SIGKILL of the parent; nothing in-process can.
 */
import type { ChildProcess } from 'node:child_process'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
type Signal = (typeof SIGNALS)[number]

const children = new Set<ChildProcess>()
let installed = false

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

function killAll(): void {
  for (const child of children) {
    // SIGTERM (not SIGKILL) so nats-server flushes its store on the way out.
    if (alive(child)) child.kill('SIGTERM')
  }
  children.clear()
}

function onSignal(signal: Signal): void {
  // When the application handles the signal itself it stops its children in order
  // (consumers first, then the server); the 'exit' handler stays as the safety net.
  if (process.listenerCount(signal) > 1) return
  killAll()
  // Adding a listener disables Node's default "die on signal"; if nobody else
  // listens, restore the default and re-raise so the process still terminates.
  uninstall()
  process.kill(process.pid, signal)
}

const signalHandlers = new Map<Signal, () => void>(SIGNALS.map((s) => [s, () => onSignal(s)]))

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', killAll)
  for (const [signal, handler] of signalHandlers) process.on(signal, handler)
}

function uninstall(): void {
  if (!installed) return
  installed = false
  process.off('exit', killAll)
  for (const [signal, handler] of signalHandlers) process.off(signal, handler)
}

/** reapOnExit registers a child to be terminated when this process exits; the returned function unregisters it. */
export function reapOnExit(child: ChildProcess): () => void {
  const forget = (): void => {
    children.delete(child)
    // Keep no process-wide listeners around once there is nothing to reap.
    if (children.size === 0) uninstall()
  }
  if (!alive(child)) return () => {}
  children.add(child)
  install()
  child.once('exit', forget)
  return forget
}

/** The memory of the bench's processes, from Linux's /proc: resident now, and the peak. */
import { readdirSync, readFileSync } from 'node:fs'

/** Rss is a process's resident memory now and at its peak (VmHWM), in MiB. */
export interface Rss {
  rssMiB: number
  peakMiB: number
}

/** rssOf reads /proc/<pid>/status; null when the process is gone or there is no /proc. */
export function rssOf(pid: number | undefined): Rss | null {
  if (pid === undefined) return null
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) }
  } catch {
    return null
  }
}

/** pidWith finds a process whose command line contains `needle` (e.g. a nats-server's store directory). */
export function pidWith(needle: string): number | undefined {
  let dirs: string[]
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return undefined
  }
  for (const d of dirs) {
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(needle)) return Number(d)
    } catch {
      // gone meanwhile
    }
  }
  return undefined
}

/**
 * The demo's time-lapse: its platform clock runs days ahead in minutes, while text
 * messages are stamped by the real clock when they are queued. When the two part, the
 * wall labels both (模拟时间 in the header, 实际发送时间 on the messages), so no one
 * reads one as the other.
 */

/** LAPSE_MS is how far the platform clock must stand from the real one to count as a time-lapse; ordinary clock drift is far less. */
export const LAPSE_MS = 10 * 60_000

/** isTimeLapse tells whether the platform clock (RFC 3339) is not the real clock (epoch ms); false before the server has said. */
export function isTimeLapse(platformNow: string | null, realNow: number): boolean {
  if (!platformNow) return false
  const t = Date.parse(platformNow)
  return Number.isFinite(t) && Math.abs(t - realNow) > LAPSE_MS
}

// A dead letter put on JIANCHA_DEAD by hand, as a consumer that gave up on a message leaves it.
import type { Bus } from '../bus.ts'
import { DEAD_HEADERS } from '../headers.ts'
import { deadSubject } from '../subjects.ts'

/** DeadLetterSpec is what a test says about the dead letter it puts. */
export interface DeadLetterSpec {
  stream: string
  seq: number
  subject: string
  consumer: string
  tries: number
  error: string
  /** the message as it was */
  data: unknown
}

/** putDeadLetter stores a dead letter of spec.stream, with the headers a consumer sets. */
export async function putDeadLetter(bus: Bus, spec: DeadLetterSpec): Promise<void> {
  await bus.publish(deadSubject(spec.stream), spec.data, `${spec.stream}:${spec.consumer}:${spec.seq}`, {
    headers: {
      [DEAD_HEADERS.stream]: spec.stream,
      [DEAD_HEADERS.consumer]: spec.consumer,
      [DEAD_HEADERS.subject]: spec.subject,
      [DEAD_HEADERS.seq]: String(spec.seq),
      [DEAD_HEADERS.tries]: String(spec.tries),
      [DEAD_HEADERS.error]: spec.error,
    },
  })
}

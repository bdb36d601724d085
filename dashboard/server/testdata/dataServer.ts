/**
 * Test support for the consoles' data routes: accounts' test server (sign-in and the
 * socket) with the alert and case routes mounted beside it, an audit that keeps what
 * it is given (and can be made to fail once), and case events stored as the rules
 * worker would.
 */
import type { Kind } from '../../../common/contract/index.ts'
import type { CaseEvent } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { storeEvent } from '../../../rules/index.ts'
import { startTestServer, type TestServer } from '../../../accounts/testdata/server.ts'
import { alertRoutes } from '../console/alertRoutes.ts'
import { caseRoutes } from '../console/caseRoutes.ts'
import type { ConsoleAuditEntry } from '../console/consoleAudit.ts'

/** DataServer is a running test server of the data routes. */
export interface DataServer extends TestServer {
  /** the audit entries written, oldest first */
  audits: ConsoleAuditEntry[]
  /** the next audit call rejects with this error (then audits work again) */
  failNextAudit(err: Error): void
}

/** startDataServer listens on a free port of 127.0.0.1, instants formatted as ISO 8601 UTC. */
export async function startDataServer(db: Queryable): Promise<DataServer> {
  const audits: ConsoleAuditEntry[] = []
  let auditError: Error | null = null
  const format = (t: number) => new Date(t).toISOString()
  const srv = await startTestServer(db, {
    routes: (sessions) => [
      alertRoutes({ db, sessions, format }),
      caseRoutes({
        db, sessions, format,
        audit: async (e) => {
          const err = auditError
          auditError = null
          if (err) throw err
          audits.push(e)
        },
      }),
    ],
  })
  return { ...srv, audits, failNextAudit: (err) => void (auditError = err) }
}

let seq = 0

/** insertEvent stores one case event as the rules worker would. */
export async function insertEvent(
  db: Queryable,
  ev: { id: string; kind: Kind; type: string; caseId: string; dept: string; at: string; attrs?: Record<string, unknown> },
): Promise<void> {
  const body: CaseEvent = { source: 'test', ...ev }
  await storeEvent(db, { ev: body, t: Date.parse(ev.at), seq: ++seq })
}

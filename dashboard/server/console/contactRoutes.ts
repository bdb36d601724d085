/**
 * The consoles' contact routes (admins): the duty contact and head of each department
 * that the SMS reach. Names and phones are personal data: the audit trail records who
 * changed which entry, not its content.
 */
import { ContactError, contactsOf, listContacts, upsertContact } from '../../../alerts/index.ts'
import { can, type Sessions, type User } from '../../../accounts/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import type { ConsoleAudit } from './consoleAudit.ts'
import { apiPath, type ConsoleHandler, endpoint, forbidden, MAX_JSON } from './routeKit.ts'

/** ContactRouteDeps is what the contact routes need. */
export interface ContactRouteDeps {
  db: Db
  sessions: Sessions
  audit: ConsoleAudit
  now: () => number
  log: (m: string) => void
}

/** contactRoutes builds the handler of GET /api/v1/contacts and GET/PUT /api/v1/contacts/:dept/:role; it rejects only on database errors. */
export function contactRoutes(deps: ContactRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'contacts' || (p.seg.length !== 1 && p.seg.length !== 3)) return false
    const allowed = (u: User) => can(u, 'contacts.manage')
    if (p.seg.length === 1) {
      return endpoint(deps.sessions, req, res, 'GET', async (u) => (allowed(u) ? sendJson(res, 200, { contacts: await listContacts(deps.db) }) : forbidden(res, u, 'read contacts')))
    }
    const [, dept, role] = p.seg as [string, string, string]
    if (req.method === 'PUT') {
      return endpoint(deps.sessions, req, res, 'PUT', async (u) => {
        if (!allowed(u)) return forbidden(res, u, 'change contacts')
        const body = await readJson(req, res, { maxBytes: MAX_JSON })
        if (!body) return
        try {
          const c = await deps.db.transaction(async (tx) => {
            const saved = await upsertContact(tx, { dept, role: role as 'duty', name: body.name as string, phone: body.phone as string }, deps.now())
            // Names and phones are personal data: the trail records who changed which entry, not its content.
            await deps.audit({ actor: u.username, action: 'contact.updated', subject: `contact:${saved.dept}/${saved.role}`, detail: {} }, tx)
            return saved
          })
          deps.log(`dashboard: contact ${c.dept}/${c.role} set by ${u.username}`)
          return sendJson(res, 200, c)
        } catch (e) {
          if (e instanceof ContactError) return sendJson(res, 400, { error: e.message, field: e.field })
          throw e
        }
      })
    }
    return endpoint(deps.sessions, req, res, 'GET', async (u) => {
      if (!allowed(u)) return forbidden(res, u, 'read contacts')
      if (role !== 'duty' && role !== 'head') return sendJson(res, 400, { error: 'role must be duty or head', field: 'role' })
      const c = (await contactsOf(deps.db, dept))[role]
      return c ? sendJson(res, 200, { dept, role, ...c }) : sendJson(res, 404, { error: `no ${role} contact for ${dept}` })
    })
  }
}

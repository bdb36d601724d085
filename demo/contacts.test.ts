import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contactsOf, listContacts, upsertContact } from '../alerts/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { DEPARTMENTS } from './city.ts'
import { seedDemoContacts } from './contacts.ts'

describe.each(openTestDbs())('seedDemoContacts on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db?.close())

  it('gives every department and both escalation lists a duty contact and a head, once', async () => {
    await seedDemoContacts(db)
    const all = await listContacts(db)
    expect(all).toHaveLength((DEPARTMENTS.length + 2) * 2)
    expect(new Set(all.map((c) => c.dept))).toEqual(new Set([...DEPARTMENTS.map((d) => d.code), 'inspection', 'leaders']))
    await seedDemoContacts(db)
    expect(await listContacts(db)).toEqual(all)
  })

  it('leaves a department an administrator has edited as it is', async () => {
    const dept = DEPARTMENTS[0]!.code
    await db.query('DELETE FROM contacts WHERE dept = $1', [dept])
    await upsertContact(db, { dept, role: 'head', name: '新局长', phone: '+8613900009999' })
    await seedDemoContacts(db)
    expect(await contactsOf(db, dept)).toEqual({ head: { name: '新局长', phone: '+8613900009999' } })
  })
})

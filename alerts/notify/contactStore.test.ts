import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { ContactError, contactsOf, deleteContact, listContacts, normalizePhone, upsertContact } from './contactStore.ts'

describe('normalizePhone', () => {
  it('takes a mainland mobile in E.164, spaces and dashes aside', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('+8613800138000')
    expect(normalizePhone('+8619912345678')).toBe('+8619912345678')
  })

  it('refuses anything else, without echoing the number', () => {
    for (const p of ['13800138000', '+8612800138000', '+861380013800', '+85291234567', '+86 010 12345678', '']) {
      expect(() => normalizePhone(p)).toThrow(ContactError)
      try {
        normalizePhone(p)
      } catch (e) {
        if (p) expect((e as Error).message).not.toContain(p)
      }
    }
  })
})

describe.each(openTestDbs())('contact store on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('stores a department’s duty contact and head, and replaces one', async () => {
    await upsertContact(db, { dept: 'market', role: 'duty', name: ' 王值班 ', phone: '+86 138 0013 8000' })
    await upsertContact(db, { dept: 'market', role: 'head', name: '李局长', phone: '+8613900139000' })
    expect(await contactsOf(db, 'market')).toEqual({
      duty: { name: '王值班', phone: '+8613800138000' },
      head: { name: '李局长', phone: '+8613900139000' },
    })
    await upsertContact(db, { dept: 'market', role: 'duty', name: '赵值班', phone: '+8613700137000' })
    expect((await contactsOf(db, 'market')).duty).toEqual({ name: '赵值班', phone: '+8613700137000' })
    expect((await listContacts(db)).map((c) => c.role)).toEqual(['duty', 'head'])
  })

  it('knows no one for a department without contacts', async () => {
    expect(await contactsOf(db, 'tax')).toEqual({})
  })

  it('refuses a bad contact, and so does the database', async () => {
    await expect(upsertContact(db, { dept: 'tax', role: 'duty', name: '钱', phone: '12345' })).rejects.toMatchObject({ field: 'phone' })
    await expect(upsertContact(db, { dept: 'tax', role: 'boss' as 'duty', name: '钱', phone: '+8613800138000' })).rejects.toMatchObject({ field: 'role' })
    await expect(upsertContact(db, { dept: 'tax', role: 'duty', name: ' ', phone: '+8613800138000' })).rejects.toMatchObject({ field: 'name' })
    await expect(db.query("INSERT INTO contacts (dept, role, name, phone) VALUES ('tax', 'duty', 'x', '13800138000')")).rejects.toThrow()
    await expect(db.query("INSERT INTO contacts (dept, role, name, phone) VALUES ('tax', 'deputy', 'x', '+8613800138000')")).rejects.toThrow()
  })

  it('deletes a contact', async () => {
    expect(await deleteContact(db, 'market', 'head')).toBe(true)
    expect(await deleteContact(db, 'market', 'head')).toBe(false)
    expect(await contactsOf(db, 'market')).toEqual({ duty: { name: '赵值班', phone: '+8613700137000' } })
  })
})

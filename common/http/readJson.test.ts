import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from './json.ts'
import { isJsonType, readJson, type ReadJsonOptions } from './readJson.ts'

describe('readJson', () => {
  let server: Server
  let url = ''
  // Each request names its options in the query: /?max=16&any=1&shape=…
  beforeAll(async () => {
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x.invalid').searchParams
      const opts: ReadJsonOptions = { maxBytes: Number(q.get('max') ?? 64), requireJsonType: q.get('any') !== '1', shape: q.get('shape') ?? undefined }
      readJson(req, res, opts).then((body) => body && sendJson(res, 200, { got: body }), () => res.destroy())
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  const post = async (body: string, type: string | null = 'application/json', query = '') => {
    const r = await fetch(`${url}${query}`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body })
    return { status: r.status, json: (await r.json()) as Record<string, unknown> }
  }

  it('reads a JSON object, multi-byte characters whole, with a charset parameter', async () => {
    expect(await post('{"comment":"已收到"}', 'application/json; charset=utf-8')).toEqual({ status: 200, json: { got: { comment: '已收到' } } })
  })

  it('reads an empty body as an object without fields', async () => {
    expect(await post('')).toEqual({ status: 200, json: { got: {} } })
    expect(await post('  \n')).toEqual({ status: 200, json: { got: {} } })
  })

  it('answers 415 naming the content type it got, or its absence', async () => {
    expect(await post('{}', 'text/plain')).toEqual({ status: 415, json: { error: 'send the body as content-type: application/json, not text/plain', field: '(body)' } })
    expect(await post('username=li', 'application/x-www-form-urlencoded')).toMatchObject({ status: 415 })
    expect(await post('{}', 'application/jsonp')).toMatchObject({ status: 415 })
    const none = await fetch(url, { method: 'POST', body: new Uint8Array([0x7b, 0x7d]) })
    expect([none.status, await none.json()]).toEqual([415, { error: 'send the body as content-type: application/json', field: '(body)' }])
  })

  it('reads any content type when told to', async () => {
    expect(await post('{"a":1}', 'text/plain', '?any=1')).toEqual({ status: 200, json: { got: { a: 1 } } })
    expect(await post('{"a":1}', null, '?any=1')).toEqual({ status: 200, json: { got: { a: 1 } } })
  })

  it('answers 413 for a body over the bound, and the client still gets the answer', async () => {
    expect(await post(JSON.stringify({ s: 'x'.repeat(9) }), 'application/json', '?max=16')).toEqual({
      status: 413, json: { error: 'the body is larger than 16 bytes', field: '(body)' },
    })
    expect(await post(JSON.stringify({ s: 'x'.repeat(200_000) }))).toMatchObject({ status: 413 })
    // exactly at the bound is fine
    expect(await post(JSON.stringify({ s: 'x'.repeat(8) }), 'application/json', '?max=16')).toMatchObject({ status: 200 })
  })

  it('answers 400 for a body that is not JSON, with the parser\'s reason', async () => {
    const r = await post('{"kind": ')
    expect(r).toMatchObject({ status: 400, json: { field: '(body)' } })
    expect(r.json.error).toMatch(/^the body is not JSON: ./)
  })

  it('answers 400 for JSON that is not an object, saying what it was and what is wanted', async () => {
    expect(await post('[1, 2]', 'application/json', '?shape=%7Bkind%2C%20caseId%7D')).toEqual({
      status: 400, json: { error: 'the body must be a JSON object {kind, caseId}, not an array', field: '(body)' },
    })
    expect((await post('null')).json.error).toBe('the body must be a JSON object, not null')
    expect((await post('"text"')).json.error).toBe('the body must be a JSON object, not a string')
    expect((await post('42')).json.error).toBe('the body must be a JSON object, not a number')
  })
})

describe('isJsonType', () => {
  it('accepts application/json with parameters, in any case, and nothing else', () => {
    for (const t of ['application/json', 'Application/JSON', 'application/json;charset=utf-8', 'application/json ; charset=utf-8']) expect(isJsonType(t), t).toBe(true)
    for (const t of [undefined, '', 'text/json', 'application/jsonl', 'application/json-seq', 'multipart/form-data; boundary=x']) expect(isJsonType(t), String(t)).toBe(false)
  })
})

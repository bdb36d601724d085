import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from './json.ts'
import { isJsonType, jsonProblem, MAX_JSON_DEPTH, readJson, type ReadJsonOptions, textProblem } from './readJson.ts'

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

describe('readJson on deep and unstorable bodies', () => {
  let server: Server
  let url = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      readJson(req, res, { maxBytes: 1024 * 1024 }).then((body) => body && sendJson(res, 200, { got: Object.keys(body) }), () => res.destroy())
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  const post = async (body: string) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return { status: r.status, json: (await r.json()) as Record<string, unknown> }
  }
  const nested = (levels: number) => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`

  it('answers 400, not 500, to a body nested 30 000 levels', async () => {
    // JSON.stringify of such a value overflows the stack: the bound must hold before anything recurses.
    expect(() => JSON.stringify(JSON.parse(nested(30_000)))).toThrow(RangeError)
    expect(await post(nested(30_000))).toEqual({ status: 400, json: { error: 'the body is nested deeper than 32 levels', field: '(body)' } })
    expect(await post(`{"a":${'{"b":'.repeat(20_000)}1${'}'.repeat(20_000)}}`)).toMatchObject({ status: 400, json: { field: '(body)' } })
  })

  it('takes exactly MAX_JSON_DEPTH levels, the object itself counted', async () => {
    expect(await post(nested(MAX_JSON_DEPTH))).toEqual({ status: 200, json: { got: ['a'] } })
    expect(await post(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ status: 400 })
  })

  it('answers 400 naming the string that holds a NUL or an unpaired surrogate', async () => {
    expect(await post(JSON.stringify({ kind: 'petition', reason: '督办\u0000滞后' }))).toEqual({
      status: 400, json: { error: 'reason contains a NUL character (U+0000)', field: 'reason' },
    })
    expect(await post('{"reason":"ok","items":[{"note":"x"},{"note":"\\ud800x"}]}')).toEqual({
      status: 400, json: { error: 'items[1].note contains an unpaired surrogate (U+D800): it is not Unicode text', field: 'items[1].note' },
    })
    expect(await post('{"re\\u0000ason":"ok"}')).toMatchObject({ status: 400, json: { field: 're\u0000ason' } })
  })

  it('lets pass whatever the database stores: astral characters, controls other than NUL, escapes', async () => {
    const body = { reason: '超期 😀 "引号" \\ 反斜杠\n\t\u0001\u2028', list: ['\ud83d\ude00'] }
    expect(await post(JSON.stringify(body))).toEqual({ status: 200, json: { got: ['reason', 'list'] } })
  })
})

describe('jsonProblem', () => {
  it('counts the top level as level 1 and leaves scalars alone', () => {
    expect(jsonProblem({ a: 1 }, 1)).toBeNull()
    expect(jsonProblem({ a: {} }, 1)).toEqual({ field: '(body)', error: 'the body is nested deeper than 1 levels' })
    expect(jsonProblem('text')).toBeNull()
    expect(jsonProblem(null)).toBeNull()
  })

  it('textProblem names the surrogate it found', () => {
    expect(textProblem('ok 😀')).toBeNull()
    expect(textProblem('\udc00 low')).toMatch(/U\+DC00/)
    expect(textProblem('high \ud83d')).toMatch(/U\+D83D/)
  })
})

describe('isJsonType', () => {
  it('accepts application/json with parameters, in any case, and nothing else', () => {
    for (const t of ['application/json', 'Application/JSON', 'application/json;charset=utf-8', 'application/json ; charset=utf-8']) expect(isJsonType(t), t).toBe(true)
    for (const t of [undefined, '', 'text/json', 'application/jsonl', 'application/json-seq', 'multipart/form-data; boundary=x']) expect(isJsonType(t), String(t)).toBe(false)
  })
})

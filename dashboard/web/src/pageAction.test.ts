import { describe, expect, it } from 'vitest'
import { ApiError } from './api.ts'
import { pageAction } from './pageAction.ts'

describe('pageAction', () => {
  it('shows the notice and reloads after a change, busy only while it runs', async () => {
    let reloads = 0
    const a = pageAction(() => 'zh-CN', async () => void reloads++)
    let seenBusy = false
    await a.act(async () => (seenBusy = a.busy.value), '已保存')
    expect([seenBusy, a.busy.value, a.notice.value, a.error.value, reloads]).toEqual([true, false, '已保存', '', 1])
  })

  it('shows why the server refused, in the page language, and does not reload', async () => {
    let reloads = 0
    let lang: 'zh-CN' | 'en' = 'en'
    const a = pageAction(() => lang, async () => void reloads++)
    a.notice.value = 'old notice'
    await a.act(async () => {
      throw new ApiError(403, 'a leader may not manage accounts')
    }, 'saved')
    expect([a.busy.value, a.notice.value, reloads]).toEqual([false, '', 0])
    const en = a.error.value
    expect(en).not.toBe('')
    lang = 'zh-CN'
    await a.act(async () => {
      throw new ApiError(403, 'a leader may not manage accounts')
    }, 'saved')
    expect(a.error.value).not.toBe(en)
  })
  it('serves a form too: no reload, no notice, the error cleared on the next try', async () => {
    const a = pageAction(() => 'en')
    await a.act(async () => {
      throw new ApiError(409, 'wrong state')
    })
    expect(a.error.value).not.toBe('')
    await a.act(async () => {})
    expect([a.error.value, a.notice.value, a.busy.value]).toEqual(['', '', false])
  })
})

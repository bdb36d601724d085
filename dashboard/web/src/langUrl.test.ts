import { describe, expect, it } from 'vitest'
import { LANG_KEY, readRemembered, remember, startLang, withLang } from './langUrl.ts'

/** memory is a Storage over a Map, standing in for the browser's localStorage. */
function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>()
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) }
}

describe('lang in the address', () => {
  it('sets ?lang= and keeps the page and other parameters', () => {
    expect(withLang('http://wall.local/?x=1#/console/3', 'en')).toBe('http://wall.local/?x=1&lang=en#/console/3')
    expect(withLang('http://wall.local/?lang=en#/wall', 'zh-CN')).toBe('http://wall.local/?lang=zh-CN#/wall')
  })

  it('opens in the address\'s language, else the one remembered, else Chinese', () => {
    expect(startLang('?lang=en', 'zh-CN')).toBe('en')
    expect(startLang('?lang=zh-CN', 'en')).toBe('zh-CN')
    expect(startLang('', 'en')).toBe('en')
    expect(startLang('?x=1', 'en')).toBe('en')
    expect(startLang('', null)).toBe('zh-CN')
    expect(startLang('', 'klingon')).toBe('zh-CN')
  })

  it('remembers the choice, and lives without storage', () => {
    const s = memory()
    remember(s, 'en')
    expect(s.getItem(LANG_KEY)).toBe('en')
    expect(readRemembered(s)).toBe('en')
    const refusing = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('denied') } }
    expect(readRemembered(refusing)).toBeNull()
    expect(() => remember(refusing, 'en')).not.toThrow()
    expect(readRemembered(undefined)).toBeNull()
  })
})

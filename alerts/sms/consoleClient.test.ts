import { describe, expect, it } from 'vitest'
import type { Logger } from '../../common/log/index.ts'
import { consoleGateway } from './consoleClient.ts'

function memoryLog(lines: string[]): Logger {
  const log: Logger = {
    debug: () => {},
    info: (msg) => void lines.push(msg),
    warn: () => {},
    error: () => {},
    child: () => log,
  }
  return log
}

describe('consoleGateway', () => {
  it('prints a message instead of sending it, and finds it again by recipient and body', async () => {
    const lines: string[] = []
    const g = consoleGateway(memoryLog(lines))
    const since = new Date(Date.now() - 1000)
    const { sid } = await g.send('+8613800138000', '红牌：S-1 超期', {})
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(lines).toEqual(['短信 → +8613800138000: 红牌：S-1 超期'])
    expect(await g.find('+8613800138000', '红牌：S-1 超期', since)).toEqual({ sid })
    expect(await g.find('+8613800138000', '别的', since)).toBeNull()
  })
})

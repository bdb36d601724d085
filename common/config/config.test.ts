import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, configHelp, loadConfig, redact } from './config.ts'

const dir = mkdtempSync(join(tmpdir(), 'jiancha-config-'))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({ env: {} })
    expect(c).toMatchObject({ dataDir: './data', databaseUrl: undefined, natsUrl: undefined, dashboardPort: 8080, collectorPort: 8090, alertsPort: 8070, rulesPort: 8071, zone: 'Asia/Shanghai', sources: [], settleMs: 5000, allowedLatenessHours: 72 })
  })

  it('reads a YAML file, and the environment wins over it', () => {
    const path = file('a.yaml', 'dashboardPort: 9000\nsources:\n  - { name: hall, token: hall-token-0123456789 }\n')
    expect(loadConfig({ env: { JIANCHA_CONFIG: path } })).toMatchObject({ dashboardPort: 9000, sources: [{ name: 'hall', token: 'hall-token-0123456789' }] })
    expect(loadConfig({ env: { JIANCHA_CONFIG: path, DASHBOARD_PORT: '9100' } }).dashboardPort).toBe(9100)
  })

  it('parses name:token lists from the environment', () => {
    expect(loadConfig({ env: { JIANCHA_SOURCES: 'a:aaaaaaaaaaaaaaaa, b:bbbbbbbbbbbbbbbb' } }).sources).toEqual([
      { name: 'a', token: 'aaaaaaaaaaaaaaaa' },
      { name: 'b', token: 'bbbbbbbbbbbbbbbb' },
    ])
  })

  it.each([
    [{ DASHBOARD_PORT: 'eighty' }, 'DASHBOARD_PORT must be an integer 0..65535, got "eighty"'],
    [{ RULES_PORT: '70000' }, 'RULES_PORT must be an integer 0..65535, got "70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres or postgresql://'],
    [{ NATS_URL: 'not a url' }, 'NATS_URL must be a URL'],
    [{ JIANCHA_ZONE: 'Mars/Base' }, 'JIANCHA_ZONE must be an IANA time zone'],
    [{ JIANCHA_SOURCES: 'hall:short' }, 'JIANCHA_SOURCES[0].token must be at least 16 characters'],
    [{ JIANCHA_SOURCES: 'hall' }, 'JIANCHA_SOURCES entries must be name:token'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be debug, info, warn or error'],
    [{ JIANCHA_CONFIG: '/nonexistent/jiancha.yaml' }, 'JIANCHA_CONFIG names a file that does not exist'],
  ])('stops on a wrong value and names the setting: %o', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError)
    expect(() => loadConfig({ env })).toThrow(message)
  })

  it('names an unknown key and a bad type in the file', () => {
    expect(() => loadConfig({ env: { JIANCHA_CONFIG: file('b.yaml', 'dashbordPort: 1\n') } })).toThrow(/dashbordPort is not a known setting/)
    expect(() => loadConfig({ env: { JIANCHA_CONFIG: file('c.yaml', 'collectorPort: [1]\n') } })).toThrow(/c\.yaml: collectorPort must be an integer/)
    expect(() => loadConfig({ env: { JIANCHA_CONFIG: file('d.json', '{oops') } })).toThrow(/is not valid JSON/)
  })

  it('takes command-line overrides first', () => {
    expect(loadConfig({ env: { DASHBOARD_PORT: '1' }, overrides: { dashboardPort: '2' } }).dashboardPort).toBe(2)
    expect(() => loadConfig({ env: {}, overrides: { dashboardPort: 'x' } })).toThrow('--dashboard-port must be an integer')
  })

  it('never prints a password', () => {
    expect(redact('postgres://app:s3cret@db:5432/x')).toBe('postgres://app:***@db:5432/x')
    expect(() => loadConfig({ env: { DATABASE_URL: 'postgres://app:s3cret@' } })).not.toThrow(/s3cret/)
  })

  it('documents every setting for --help', () => {
    for (const name of ['DATABASE_URL', 'NATS_URL', 'RULES_FILE', 'JIANCHA_SOURCES', 'SIM_SPEED']) expect(configHelp()).toContain(name)
  })
})

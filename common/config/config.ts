/**
 * Config is the platform's configuration: environment variables plus an optional
 * config file (JSON or YAML), validated at start. A wrong value stops the start with
 * a message naming the setting. Environment variables win over the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { trustedProxies } from '../http/index.ts'
import { DEFAULT_ZONE } from '../time/index.ts'

/** Source is a business system allowed to send events, with its bearer token. */
export interface SourceToken {
  name: string
  token: string
}

export interface Config {
  dataDir: string
  databaseUrl: string | undefined
  natsUrl: string | undefined
  host: string
  dashboardPort: number
  collectorPort: number
  /** port of the alerts process's own server: Twilio's webhooks and /healthz */
  alertsPort: number
  /** port of the rules process's /healthz */
  rulesPort: number
  /** port of the kpi process's /healthz */
  kpiPort: number
  /** the KPI scheme file (YAML, docs/kpi.md); unset = kpi/schemes/default.yaml */
  kpiScheme: string | undefined
  /** how often the kpi component refreshes the continuous aggregates it wrote behind (ms) */
  kpiRefreshMs: number
  /** working days after a period's end before its figures are frozen */
  kpiGraceDays: number
  /** count the cooperation counts (threads.*) from the supervision threads */
  kpiThreads: boolean
  zone: string
  sources: SourceToken[]
  /** inspectors allowed to flag cases (主动巡检) through the API, until accounts arrive */
  inspectors: SourceToken[]
  /** optional rules settings file (YAML), hot-reloaded on change */
  rulesFile: string | undefined
  /** working hours (09:00–17:00 on working days) of silence after which a source raises 数据中断 */
  silentHours: number
  smsProvider: 'twilio' | 'console' | 'fake' | undefined
  twilioAccountSid: string | undefined
  twilioAuthToken: string | undefined
  twilioFrom: string | undefined
  twilioMessagingServiceSid: string | undefined
  publicBaseUrl: string | undefined
  twilioBaseUrl: string | undefined
  secureCookies: boolean
  /** reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges) */
  trustedProxies: string[]
  maxBatch: number
  /** events the rules may lag behind before the collector answers 429; 0 = never */
  maxBacklog: number
  duplicateWindowHours: number
  tickMs: number
  rulesBatch: number
  settleMs: number
  allowedLatenessHours: number
  /** the key that signs the audit trail's checkpoints; unset = <dataDir>/audit.key, made on first start */
  auditKey: string | undefined
  /** a file outside the database that each signed checkpoint is appended to */
  auditAnchorFile: string | undefined
  auditCheckpointSeconds: number
  simSpeed: number
  simDaysBack: number
  simRatePerDay: number
  simSeed: number
  logLevel: 'debug' | 'info' | 'warn' | 'error'
}

/** Setting describes one configuration key: where it comes from, its default, and how to read it. */
interface Setting<K extends keyof Config> {
  key: K
  env: string
  file: string
  help: string
  def: Config[K]
  parse: (raw: unknown, name: string) => Config[K]
}

const str = (raw: unknown, name: string): string => {
  if (typeof raw !== 'string' || !raw.trim()) throw new ConfigError(name, `must be a non-empty string, got ${JSON.stringify(raw)}`)
  return raw.trim()
}
const optStr = (raw: unknown, name: string): string | undefined => (raw === undefined || raw === '' ? undefined : str(raw, name))
const int = (lo: number, hi: number) => (raw: unknown, name: string): number => {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN
  if (!Number.isInteger(n) || n < lo || n > hi) throw new ConfigError(name, `must be an integer ${lo}..${hi}, got ${JSON.stringify(raw)}`)
  return n
}
const url = (schemes: string[]) => (raw: unknown, name: string): string | undefined => {
  const s = optStr(raw, name)
  if (s === undefined) return undefined
  let u: URL
  try {
    u = new URL(s)
  } catch {
    throw new ConfigError(name, `must be a URL like ${schemes[0]}://host:port, got ${JSON.stringify(redact(s))}`)
  }
  if (!schemes.includes(u.protocol.replace(':', ''))) throw new ConfigError(name, `must use ${schemes.join(' or ')}://, got ${u.protocol}//`)
  return s
}

/** ConfigError names the setting that is wrong. */
export class ConfigError extends Error {
  constructor(readonly setting: string, problem: string) {
    super(`config: ${setting} ${problem}`)
  }
}

const SETTINGS: Array<Setting<keyof Config>> = [
  s('dataDir', 'JIANCHA_DATA_DIR', 'dataDir', 'folder for the embedded database and bus store', './data', str),
  s('databaseUrl', 'DATABASE_URL', 'databaseUrl', 'postgres://… of TimescaleDB or PostgreSQL ≥ 15; unset = embedded PGlite+TimescaleDB in <dataDir>/pg', undefined, url(['postgres', 'postgresql'])),
  s('natsUrl', 'NATS_URL', 'natsUrl', 'nats://… of a JetStream server; unset = start nats-server with its store in <dataDir>/nats', undefined, url(['nats', 'tls'])),
  s('host', 'JIANCHA_HOST', 'host', 'address the HTTP servers listen on', '127.0.0.1', str),
  s('dashboardPort', 'DASHBOARD_PORT', 'dashboardPort', 'port of the dashboard (wall and consoles)', 8080, int(0, 65535)),
  s('collectorPort', 'COLLECTOR_PORT', 'collectorPort', 'port of the collector HTTP API', 8090, int(0, 65535)),
  s('alertsPort', 'ALERTS_PORT', 'alertsPort', "port of the alerts server: Twilio's webhooks and /healthz (0 = a free port)", 8070, int(0, 65535)),
  s('rulesPort', 'RULES_PORT', 'rulesPort', "port of the rules' server: /healthz, wherever the rules run (0 = a free port)", 8071, int(0, 65535)),
  s('kpiPort', 'KPI_PORT', 'kpiPort', "port of the kpi component's server: /healthz, wherever it runs (0 = a free port)", 8072, int(0, 65535)),
  s('kpiScheme', 'KPI_SCHEME', 'kpiScheme', 'KPI scheme file (YAML, see docs/kpi.md); unset = the contract default (kpi/schemes/default.yaml)', undefined, optStr),
  s('kpiRefreshMs', 'KPI_REFRESH_MS', 'kpiRefreshMs', 'how often (ms) the kpi component refreshes the continuous aggregates behind late facts (TimescaleDB only)', 30_000, int(50, 3_600_000)),
  s('kpiGraceDays', 'KPI_GRACE_DAYS', 'kpiGraceDays', "working days (official calendar) after a period's end before its figures are frozen as the official result", 3, int(0, 60)),
  s('kpiThreads', 'KPI_THREADS', 'kpiThreads', 'count the cooperation counts (配合落实, threads.*) from the supervision threads', true, (raw, name) => {
    if (typeof raw === 'boolean') return raw
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    throw new ConfigError(name, `must be true or false, got ${JSON.stringify(raw)}`)
  }),
  s('zone', 'JIANCHA_ZONE', 'zone', 'time zone of all calendar reasoning', DEFAULT_ZONE, zoneName),
  s('sources', 'JIANCHA_SOURCES', 'sources', 'sources allowed to send events, as name:token,name:token (file: list of {name, token})', [], sources),
  s('inspectors', 'JIANCHA_INSPECTORS', 'inspectors', 'inspectors allowed to flag cases through the API, as name:token,… (file: list of {name, token})', [], sources),
  s('rulesFile', 'RULES_FILE', 'rulesFile', 'rules settings file (YAML, see docs/rules.md); edits take effect without a restart; unset = contract defaults', undefined, optStr),
  s('silentHours', 'SOURCE_SILENT_HOURS', 'silentHours', 'working hours without events after which a source that sent before raises source.silent (数据中断)', 4, int(1, 400)),
  s('smsProvider', 'SMS_PROVIDER', 'smsProvider', 'twilio, console (print messages) or fake (the real SDK against a built-in fake Twilio); default console, and fake for the demo', undefined, (raw, name) => {
    const v = optStr(raw, name)
    if (v !== undefined && !['twilio', 'console', 'fake'].includes(v)) throw new ConfigError(name, `must be twilio, console or fake, got ${JSON.stringify(v)}`)
    return v as Config['smsProvider']
  }),
  s('twilioAccountSid', 'TWILIO_ACCOUNT_SID', 'twilioAccountSid', 'Twilio account (AC…)', undefined, optStr),
  s('twilioAuthToken', 'TWILIO_AUTH_TOKEN', 'twilioAuthToken', 'Twilio auth token; also checks the signatures of its webhooks', undefined, optStr),
  s('twilioFrom', 'TWILIO_FROM', 'twilioFrom', 'sending number (E.164), or use TWILIO_MESSAGING_SERVICE_SID', undefined, optStr),
  s('twilioMessagingServiceSid', 'TWILIO_MESSAGING_SERVICE_SID', 'twilioMessagingServiceSid', 'Twilio Messaging Service (MG…)', undefined, optStr),
  s('publicBaseUrl', 'PUBLIC_BASE_URL', 'publicBaseUrl', 'public https:// address of the alerts server (ALERTS_PORT) as Twilio reaches it (delivery reports, replies)', undefined, url(['https', 'http'])),
  s('twilioBaseUrl', 'TWILIO_BASE_URL', 'twilioBaseUrl', 'with SMS_PROVIDER=fake: a running fake Twilio to use instead of a built-in one', undefined, url(['http', 'https'])),
  s('secureCookies', 'SECURE_COOKIES', 'secureCookies', 'mark session cookies Secure (turn off only for plain-http development)', true, (raw, name) => {
    if (typeof raw === 'boolean') return raw
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    throw new ConfigError(name, `must be true or false, got ${JSON.stringify(raw)}`)
  }),
  s('trustedProxies', 'TRUSTED_PROXIES', 'trustedProxies', 'reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client for the sign-in throttle; none = the peer address', [], (raw, name) => {
    const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',').map((x) => x.trim()).filter(Boolean) : null
    if (!list) throw new ConfigError(name, `must be a comma-separated list of addresses or CIDR ranges, got ${JSON.stringify(raw)}`)
    try {
      trustedProxies(list)
    } catch (e) {
      throw new ConfigError(name, (e as Error).message)
    }
    return list
  }),
  s('maxBatch', 'COLLECTOR_MAX_BATCH', 'maxBatch', 'most events accepted in one request', 5000, int(1, 100_000)),
  s('maxBacklog', 'COLLECTOR_MAX_BACKLOG', 'maxBacklog', 'events the rules worker may lag behind the collector before new events are refused with 429 and Retry-After (0 = never)', 100_000, int(0, 100_000_000)),
  s('duplicateWindowHours', 'BUS_DUPLICATE_WINDOW_HOURS', 'duplicateWindowHours', 'JetStream de-duplication window by event id', 24, int(1, 24 * 30)),
  s('rulesBatch', 'RULES_BATCH', 'rulesBatch', 'events the rules worker pulls, stores and applies together (one transaction, one ack)', 2000, int(1, 10_000)),
  s('tickMs', 'RULES_TICK_MS', 'tickMs', 'how often the live rules engine checks its clock for due deadlines (ms)', 1000, int(50, 60_000)),
  s('settleMs', 'RULES_SETTLE_MS', 'settleMs', 'after an event, a case waits this long (ms, wall time) before its cards fire, so events sent together are all applied first', 5000, int(0, 600_000)),
  s('allowedLatenessHours', 'RULES_ALLOWED_LATENESS_HOURS', 'allowedLatenessHours', 'an event at most this late (hours behind the clock) still corrects a card already raised; later ones only count for what lies ahead', 72, int(0, 24 * 366)),
  s('auditKey', 'AUDIT_KEY', 'auditKey', 'secret (at least 32 characters) that signs the audit trail\'s checkpoints; keep it outside the database; unset = <dataDir>/audit.key, made on first start', undefined, (raw, name) => {
    const v = optStr(raw, name)
    if (v !== undefined && v.length < 32) throw new ConfigError(name, `must be at least 32 characters, got ${v.length}`)
    return v
  }),
  s('auditAnchorFile', 'AUDIT_ANCHOR_FILE', 'auditAnchorFile', 'file (outside the database) that each signed audit checkpoint is appended to, as a JSON line', undefined, optStr),
  s('auditCheckpointSeconds', 'AUDIT_CHECKPOINT_SECONDS', 'auditCheckpointSeconds', 'how often the head of the audit trail is signed', 60, int(1, 86_400)),
  s('simSpeed', 'SIM_SPEED', 'simSpeed', 'demo time-lapse factor (28800 = one simulated day per 3 s)', 28_800, int(1, 10_000_000)),
  s('simDaysBack', 'SIM_DAYS_BACK', 'simDaysBack', 'the demo simulation starts this many days before now', 60, int(1, 3650)),
  s('simRatePerDay', 'SIM_RATE_PER_DAY', 'simRatePerDay', 'demo cases opened per simulated day', 150, int(1, 1_000_000)),
  s('simSeed', 'SIM_SEED', 'simSeed', 'seed of the demo city', 1, int(0, 2 ** 31 - 1)),
  s('logLevel', 'LOG_LEVEL', 'logLevel', 'debug, info, warn or error', 'info', (raw, name) => {
    const v = str(raw, name)
    if (!['debug', 'info', 'warn', 'error'].includes(v)) throw new ConfigError(name, `must be debug, info, warn or error, got ${JSON.stringify(v)}`)
    return v as Config['logLevel']
  }),
]

function s<K extends keyof Config>(key: K, env: string, file: string, help: string, def: Config[K], parse: (raw: unknown, name: string) => Config[K]): Setting<keyof Config> {
  return { key, env, file, help, def, parse } as unknown as Setting<keyof Config>
}

function zoneName(raw: unknown, name: string): string {
  const z = str(raw, name)
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z })
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(z)}`)
  }
  return z
}

function sources(raw: unknown, name: string): SourceToken[] {
  const list: unknown[] = typeof raw === 'string' ? raw.split(',').filter((x) => x.trim()).map((pair) => {
    const i = pair.indexOf(':')
    if (i <= 0) throw new ConfigError(name, `entries must be name:token, got ${JSON.stringify(pair.slice(0, 40))}`)
    return { name: pair.slice(0, i).trim(), token: pair.slice(i + 1).trim() }
  }) : Array.isArray(raw) ? raw : []
  if (!Array.isArray(raw) && typeof raw !== 'string') throw new ConfigError(name, 'must be a list of {name, token}')
  return list.map((x, i) => {
    const o = x as Partial<SourceToken>
    if (typeof o.name !== 'string' || !o.name) throw new ConfigError(`${name}[${i}].name`, 'must be a non-empty string')
    if (typeof o.token !== 'string' || o.token.length < 16) throw new ConfigError(`${name}[${i}].token`, 'must be at least 16 characters')
    return { name: o.name, token: o.token }
  })
}

/** redact hides a password in a URL for messages. */
export function redact(u: string): string {
  return u.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
}

/** loadConfig reads the optional file, then the environment, then explicit overrides (CLI flags). */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Record<keyof Config, unknown>> } = {}): Config {
  const env = opts.env ?? process.env
  const path = opts.file ?? env.JIANCHA_CONFIG
  let fileValues: Record<string, unknown> = {}
  if (path) {
    if (!existsSync(path)) throw new ConfigError('JIANCHA_CONFIG', `names a file that does not exist: ${path}`)
    const text = readFileSync(path, 'utf8')
    try {
      const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
      fileValues = (parsed ?? {}) as Record<string, unknown>
    } catch (e) {
      throw new ConfigError(path, `is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`)
    }
    const known = new Set(SETTINGS.map((x) => x.file))
    for (const k of Object.keys(fileValues)) if (!known.has(k)) throw new ConfigError(`${path}: ${k}`, `is not a known setting (known: ${[...known].join(', ')})`)
  }
  const out = {} as Record<keyof Config, unknown>
  for (const st of SETTINGS) {
    const o = opts.overrides?.[st.key]
    if (o !== undefined) out[st.key] = st.parse(o, `--${kebab(st.key)}`)
    else if (env[st.env] !== undefined && env[st.env] !== '') out[st.key] = st.parse(env[st.env], st.env)
    else if (fileValues[st.file] !== undefined) out[st.key] = st.parse(fileValues[st.file], `${path}: ${st.file}`)
    else out[st.key] = st.def
  }
  return out as unknown as Config
}

/** configHelp lists every setting for --help. */
export function configHelp(): string {
  return SETTINGS.map((x) => `  ${x.env.padEnd(28)} ${x.help}${x.def !== undefined && !(Array.isArray(x.def) && !x.def.length) ? ` (default ${JSON.stringify(x.def)})` : ''}`).join('\n')
}

function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

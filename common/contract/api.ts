/**
 * The shapes that pass between the server and the browser: the wall (WallSnapshot,
 * AlertView, SmsView), the consoles' API (docs/accounts.md, docs/lifecycle.md), and
 * the few limits both sides check. The web app imports this module and nothing else
 * of the server, so it holds no code that needs Node; instants are RFC 3339 strings
 * in the platform zone (the platform status's are wall time, in UTC).
 */
import type { Alert, Level } from './alert.ts'
import type { Kind } from './event.ts'

export type { Kind, Level }

/** AlertView is a stored card as the wall shows it. */
export interface AlertView extends Alert {
  /** When the platform stored the card (platform clock, RFC 3339). */
  raisedAt: string
  /** Handling status, e.g. "open"; free text owned by the alert store. */
  status: string
}

/** DeptTally is the number of open cards of one department, by level. */
export interface DeptTally {
  dept: string
  yellow: number
  red: number
}

/** WallSnapshot is the whole wall at one instant; browsers load it on every (re)connect. */
export interface WallSnapshot {
  /** Platform clock (may be a demo time-lapse clock), RFC 3339. */
  now: string
  /** Newest raised first (by `raisedAt`), at most MAX_SNAPSHOT_ALERTS. */
  alerts: AlertView[]
  /** Open cards by level. */
  counts: Record<Level, number>
  /** Open cards per department. */
  byDept: DeptTally[]
  /** Recent text messages, newest first, at most MAX_SNAPSHOT_SMS. */
  sms: SmsView[]
  /** Whose wall this is: every department, or one department's own. */
  scope: WallScope
  /** When the platform last received an event (wall time, RFC 3339); null when none yet. Absent from older servers. */
  lastEventAt?: string | null
  /** Cards raised per department and day over the last TREND_DAYS days (alerts_daily), oldest first. Absent from older servers. */
  daily?: DailyTally[]
  /** Events received per minute over the last RATE_MINUTES minutes, oldest first; minutes without any absent. */
  rate?: RatePoint[]
}

/** DailyTally is the cards one department raised on one day (YYYY-MM-DD, platform zone). */
export interface DailyTally {
  day: string
  dept: string
  yellow: number
  red: number
}

/** RatePoint is the events received in one minute (its start, RFC 3339). */
export interface RatePoint {
  minute: string
  events: number
}

/** WallPulse is the `pulse` push: the platform's freshness and event rate, every PULSE_MS. */
export interface WallPulse {
  lastEventAt: string | null
  rate: RatePoint[]
}

/** TREND_DAYS is the span of the wall's trend and heatmap. */
export const TREND_DAYS = 30
/** MAX_SNAPSHOT_DAILY bounds the daily rows a snapshot carries (30 days × 100 departments). */
export const MAX_SNAPSHOT_DAILY = 3000
/** RATE_MINUTES is the span of the wall's event rate. */
export const RATE_MINUTES = 60

/** WallScope is the part of the platform a wall shows: a department user sees only its own. */
export type WallScope = { all: true } | { dept: string }

/** SmsStatus is an outbox row's delivery state (alerts/sms/outbox.ts). */
export type SmsStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed'

/**
 * SmsView is one text message as walls and consoles show it. The phone number is
 * masked (+86 138****8000); the body never holds personal data (docs/notify.md).
 * A later view with the same id replaces the earlier one (its status moved on).
 */
export interface SmsView {
  id: number
  /** the department it is about; null when unknown (an older row) */
  dept: string | null
  /** masked recipient */
  to: string
  body: string
  status: SmsStatus
  /** why it failed for good (permanent provider error, or retries used up) */
  error: string | null
  /** when it was queued (platform zone, RFC 3339) */
  at: string
  /** when its status last changed */
  updatedAt: string
}


/**
 * DeptNames maps a department code to its display names (GET /api/v1/depts): the
 * registered departments (docs/departments.md) and the platform's own contact lists.
 * `active: false` marks a deactivated department, still named on its old cards but
 * no longer offered in pickers.
 */
export type DeptNames = Record<string, { 'zh-CN': string; en: string; active?: boolean }>

/** DeptKind is what kind of department it is: a small closed list (docs/departments.md). */
export type DeptKind = 'approval' | 'enforcement' | 'service' | 'supervision' | 'other'

/** DEPT_KINDS lists every kind of department, in display order. */
export const DEPT_KINDS: readonly DeptKind[] = ['approval', 'enforcement', 'service', 'supervision', 'other']

/** DEPT_CODE is a department code as the contract defines it (common/contract/README.md §1). */
export const DEPT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/
/** MAX_DEPT_CODE is the longest department code. */
export const MAX_DEPT_CODE = 100
/** MAX_DEPT_NAME_ZH is the longest Chinese name: it is the department's label in every text message. */
export const MAX_DEPT_NAME_ZH = 20
/** MAX_DEPT_NAME_EN is the longest English name. */
export const MAX_DEPT_NAME_EN = 100

/** DepartmentView is one registered department (GET /api/v1/departments). */
export interface DepartmentView {
  code: string
  names: { 'zh-CN': string; en: string }
  kind: DeptKind
  /** the code of the department it belongs to, if any */
  parent: string | null
  active: boolean
  updatedAt: string
}

/**
 * DepartmentInput adds a department (POST /api/v1/departments, with `code`) or
 * changes one (PUT /api/v1/departments/:code, without); deactivating is `active: false`.
 */
export interface DepartmentInput {
  code?: string
  names: { 'zh-CN': string; en: string }
  kind: DeptKind
  parent?: string | null
  /** true when left out */
  active?: boolean
}

/** UnregisteredDept is a code seen in case events or cards that the registry does not know. */
export interface UnregisteredDept {
  code: string
  /** its open cards */
  openCards: number
  /** the newest event of its cases (platform zone, RFC 3339); null when seen on cards only */
  lastSeen: string | null
}

/** Unregistered is GET /api/v1/departments/unregistered: the codes, most open cards first, at most MAX_UNREGISTERED. */
export interface Unregistered {
  depts: UnregisteredDept[]
  /** how many codes there are in all, beyond the list too */
  total: number
}

/** MAX_UNREGISTERED bounds the unregistered codes one answer lists. */
export const MAX_UNREGISTERED = 500

/** MAX_SNAPSHOT_ALERTS bounds the cards a snapshot carries, so a page load stays small. */
export const MAX_SNAPSHOT_ALERTS = 200

/** MAX_SNAPSHOT_SMS bounds the text messages a snapshot carries. */
export const MAX_SNAPSHOT_SMS = 50

/** State is where a supervision thread stands in the loop; approved and withdrawn are closed. */
export type State = 'raised' | 'notified' | 'acknowledged' | 'rectification_submitted' | 'returned' | 'approved' | 'withdrawn'

/** STATES lists every state, in loop order. */
export const STATES: readonly State[] = ['raised', 'notified', 'acknowledged', 'rectification_submitted', 'returned', 'approved', 'withdrawn']

/** ActionName names what happened to a thread (alerts/lifecycle/states.ts holds the actions themselves). */
export type ActionName =
  | 'open' | 'notify' | 'acknowledge' | 'submit_rectification' | 'approve' | 'return' | 'withdraw' | 'upgrade' | 'withdraw_card' | 'escalate'

/** ActorRole is who acts on a thread; 'system' is the platform itself (notifier, rules engine, escalation). */
export type ActorRole = Role | 'system'

/** Actor is who asked for a transition; a department actor carries its department code. */
export interface Actor {
  role: ActorRole
  dept?: string
  name: string
}

/** AttachmentType is a file type accepted as evidence, judged by its bytes. */
export type AttachmentType = 'application/pdf' | 'image/png' | 'image/jpeg'

/** AttachmentRef is a stored attachment as a rectification refers to it. */
export interface AttachmentRef {
  sha256: string
  /** the client's file name, sanitized; for display only, never a path */
  name: string
  size: number
  type: AttachmentType
}

/** MIN_RECTIFICATION_TEXT is the shortest rectification text, in characters after trimming. */
export const MIN_RECTIFICATION_TEXT = 10
/** MAX_ATTACHMENTS is the most attachments one submission may carry. */
export const MAX_ATTACHMENTS = 5

/** Role is what an account is. */
export type Role = 'inspector' | 'leader' | 'department' | 'admin'

/** ROLES lists every role. */
export const ROLES: readonly Role[] = ['inspector', 'leader', 'department', 'admin']

/** Permission is something a user may try to do (accounts/access.ts says who may). */
export type Permission =
  | 'alerts.read'
  | 'alerts.acknowledge'
  | 'alerts.rectify'
  | 'alerts.review'
  | 'cases.flag'
  | 'silences.manage'
  | 'rankings.read'
  | 'kpi.read'
  | 'users.manage'
  | 'contacts.manage'
  | 'departments.manage'
  | 'rules.manage'
  | 'sources.manage'
  | 'personal.unmask'
  | 'platform.status'

/** PERMISSIONS lists every permission. */
export const PERMISSIONS: readonly Permission[] = [
  'alerts.read', 'alerts.acknowledge', 'alerts.rectify', 'alerts.review', 'cases.flag', 'silences.manage', 'rankings.read', 'kpi.read',
  'users.manage', 'contacts.manage', 'departments.manage', 'rules.manage', 'sources.manage', 'personal.unmask', 'platform.status',
]

/** UserView is the signed-in user (GET /api/v1/me). */
export interface UserView {
  username: string
  role: Role
  dept: string | null
  canUnmask: boolean
}

/** Me is the session: who is signed in and what they may do within their own scope. */
export interface Me {
  user: UserView
  permissions: Permission[]
  /** The platform's IANA time zone (JIANCHA_ZONE): the app shows and reads every time in it. */
  zone: string
}

/** ThreadView is one thread of the supervision loop. */
export interface ThreadView {
  id: number
  caseKind: Kind
  caseId: string
  family: string
  dept: string
  level: Level
  state: State
  open: boolean
  alertKeys: string[]
  shortCode: string
  escalation: string | null
  openedAt: string
  updatedAt: string
  notifiedAt: string | null
  ackAt: string | null
  rectificationDueAt: string | null
  closedAt: string | null
}

/** TransitionView is one row of a thread's history: who did what, when and why. */
export interface TransitionView {
  id: number
  action: ActionName
  from: State | null
  to: State
  actor: Actor
  at: string
  why: string
  detail: Record<string, unknown>
}

/** AttachmentView is a stored attachment with the URL that serves it. */
export interface AttachmentView extends AttachmentRef {
  url: string
}

/** RectificationView is one submission of a department. */
export interface RectificationView {
  id: number
  text: string
  submittedBy: string
  submittedAt: string
  attachments: AttachmentView[]
}

/** ThreadDetail is GET /api/v1/threads/:id. */
export interface ThreadDetail {
  thread: ThreadView
  history: TransitionView[]
  rectifications: RectificationView[]
}

/** ThreadChange is the answer of every thread action. */
export interface ThreadChange {
  thread: ThreadView
  transition: TransitionView
}

/** ThreadQuery filters GET /api/v1/threads. */
export interface ThreadQuery {
  state?: State[]
  level?: Level
  open?: boolean
  limit?: number
}

/** FlagInput is a 主动巡检 flag. */
export interface FlagInput {
  kind: Kind
  caseId: string
  reason: string
  level?: Level
}

/** FlagAnswer says whether the flag raised a card (flagged) or one was open already. */
export interface FlagAnswer {
  status: 'flagged' | 'already'
  key: string
}

/** CaseEvent is one stored event of a case; `event` is masked unless unmasked. */
export interface CaseEventView {
  at: string
  seq: number
  event: Record<string, unknown>
}

/** CaseEvents is a case's event history. */
export interface CaseEvents {
  kind: Kind
  caseId: string
  dept: string
  masked: boolean
  events: CaseEventView[]
}

/** SilenceView is a silence in force or to come. */
export interface SilenceView {
  id: string
  rule: string | null
  dept: string | null
  startsAt: string
  endsAt: string
  reason: string
  createdBy: string
  createdAt: string
}

/** SilenceInput creates a silence; at least one of rule and dept. */
export interface SilenceInput {
  rule?: string
  dept?: string
  endsAt: string
  reason: string
}

/** ContactRole is whom a department's texts go to: the person on duty or the head. */
export type ContactRole = 'duty' | 'head'

/** ContactView is one department contact. */
export interface ContactView {
  dept: string
  role: ContactRole
  name: string
  phone: string
}

/** AccountView is one account as an administrator sees it (GET /api/v1/users): never a password. */
export interface AccountView {
  username: string
  role: Role
  dept: string | null
  canUnmask: boolean
  disabled: boolean
  createdAt: string
}

/** NewAccount adds an account (POST /api/v1/users); dept only for a department, canUnmask only for an inspector. */
export interface NewAccount {
  username: string
  password: string
  role: Role
  dept?: string
  canUnmask?: boolean
}

/** ComponentName is a part of the platform that reports how it is doing. */
export type ComponentName = 'collector' | 'rules' | 'alerts' | 'kpi' | 'dashboard'

/** COMPONENTS lists every component, in the order the data flows through them. */
export const COMPONENTS: readonly ComponentName[] = ['collector', 'rules', 'alerts', 'kpi', 'dashboard']

/**
 * HealthState is how a component is doing: ok; degraded (its connections are up, but
 * it has a problem of its own, such as refusing events or failing); down (its database
 * or its bus cannot be reached, so it cannot do its work).
 */
export type HealthState = 'ok' | 'degraded' | 'down'

/** HEALTH_STATES lists the states, best first. */
export const HEALTH_STATES: readonly HealthState[] = ['ok', 'degraded', 'down']

/** ConnectionStatus is a component's connection to the database or the bus: up, or down since when and why. */
export type ConnectionStatus = { up: true } | { up: false; downSince: string; error: string }

/** ProcessView names the process a component runs in; started is when the process started. */
export interface ProcessView {
  host: string
  pid: number
  started: string
}

/**
 * StatusProblem is why a component is not ok, as a code the app puts in words: its
 * database or bus is down, it failed within the last RECENT_ERROR_MS, the collector
 * refuses events (back-pressure), the alerts' notifier is not running.
 */
export type StatusProblem = 'db_down' | 'bus_down' | 'recent_error' | 'backpressure' | 'notifier_stopped'

/** RECENT_ERROR_MS is how long a component's last failure keeps it degraded. */
export const RECENT_ERROR_MS = 30_000

/** ErrorNote is a failure a component noted: when (wall time) and what. */
export interface ErrorNote {
  at: string
  message: string
}

/** CollectorDetails: the rules' backlog the collector last saw (for back-pressure), its bound, and the requests refused since start. */
export interface CollectorDetails {
  backlog: number
  /** 0 = no bound (COLLECTOR_MAX_BACKLOG=0) */
  maxBacklog: number
  /** requests answered 429 (back-pressure) and 503 (the bus or the database unreachable) since the process started */
  refused: { tooMany: number; unavailable: number }
}

/** RulesDetails: the live rules worker's state (rules/worker.ts status()). */
export interface RulesDetails {
  /** events waiting for the worker, as last known */
  backlog: number
  /** how far (ms) the engine's clock is behind the platform clock */
  watermarkLagMs: number
  /** events applied since start */
  applied: number
  /** cases held in memory */
  cases: number
  /** dead letters of the events stream */
  deadLetters: number
  lastError: ErrorNote | null
}

/** AlertsDetails: the SMS outbox (null while the database does not answer), the notifier and the alert service. */
export interface AlertsDetails {
  outbox: { queued: number; sending: number; failed: number } | null
  notifier: { running: boolean; lastError: ErrorNote | null }
  /** the alert service, where the process runs it: cards stored since start, dead letters of the alerts stream, its last failure to store a batch */
  service?: { stored: number; deadLetters: number; lastError: ErrorNote | null }
}

/** KpiDetails: the kpi worker's state (kpi/worker.ts status()). */
export interface KpiDetails {
  /** events and cards counted since start (a message seen again counts too) */
  events: number
  cards: number
  /** fact rows written since start */
  facts: number
  /** how the rollups are kept: TimescaleDB continuous aggregates, or plain tables */
  rollups: 'timescale' | 'plain'
  /** when the worker last refreshed the continuous aggregates (wall time), null when it never had to */
  refreshedAt: string | null
  lastError: ErrorNote | null
}

/** DashboardDetails: the browsers connected (Socket.IO). */
export interface DashboardDetails {
  sockets: number
}

/** ComponentDetails maps each component to what it reports beyond its connections. */
export interface ComponentDetails {
  collector: CollectorDetails
  rules: RulesDetails
  alerts: AlertsDetails
  kpi: KpiDetails
  dashboard: DashboardDetails
}

/**
 * ComponentStatus is one component's status, the same shape from every component: on
 * its /healthz, in its heartbeat on the bus (live topic `status`, every few seconds)
 * and on the admin page. Its instants are wall time (RFC 3339, UTC), not the platform
 * clock, which in the demo runs faster.
 */
export type ComponentStatus = {
  [C in ComponentName]: {
    component: C
    process: ProcessView
    state: HealthState
    /** why it is not ok; empty when it is */
    problems: StatusProblem[]
    /** when this status was taken */
    at: string
    db: ConnectionStatus
    bus: ConnectionStatus
    details: ComponentDetails[C]
  }
}[ComponentName]

/** HealthReport is GET /healthz on every server: the components of its process; HTTP 200 when state is ok, 503 otherwise. */
export interface HealthReport {
  /** the worst state of the components */
  state: HealthState
  components: ComponentStatus[]
}

/** STATUS_STALE_MS is how long a component may go unheard before the admin page shows it as not reporting (失联). */
export const STATUS_STALE_MS = 30_000

/** ComponentReport is a component as the admin page shows it: its latest status, or none heard. */
export interface ComponentReport {
  component: ComponentName
  /** false when nothing was heard from it for STATUS_STALE_MS (or ever) */
  reporting: boolean
  /** when its latest status arrived; null when none ever did */
  heardAt: string | null
  status: ComponentStatus | null
}

/** DeadLetterView is one dead letter: an event (or card) a consumer gave up on, without its content. */
export interface DeadLetterView {
  /** the stream the message was on, e.g. JIANCHA_EVENTS */
  stream: string
  /** its sequence there */
  seq: number
  /** its subject there */
  subject: string
  consumer: string
  tries: number
  error: string
  /** when it became a dead letter */
  at: string
  /** the event's source and id, when the message names them: what to send again */
  source: string | null
  id: string | null
}

/** DeadLetterStream is the dead letters of one stream: how many, and the newest, newest first. */
export interface DeadLetterStream {
  stream: string
  count: number
  /** at most MAX_RECENT_DEAD_LETTERS */
  recent: DeadLetterView[]
}

/** MAX_RECENT_DEAD_LETTERS bounds the dead letters shown per stream. */
export const MAX_RECENT_DEAD_LETTERS = 10

/** MAX_STATUS_REPORTS bounds the processes the dashboard keeps the status of (several processes may run one component). */
export const MAX_STATUS_REPORTS = 50

/** PlatformStatus is GET /api/v1/admin/status: every component's latest status and the dead letters by stream. */
export interface PlatformStatus {
  /** wall time of the answer */
  now: string
  /** each component at least once (a component never heard from too), one entry per process heard (at most MAX_STATUS_REPORTS) */
  components: ComponentReport[]
  /** null when the bus cannot be read now; deadLettersError says why */
  deadLetters: DeadLetterStream[] | null
  deadLettersError?: string
}

// ---- the case page (案件详情) and the public service page (信息服务) ----

/** CaseClockView is a case's deadline clock read at `readAt` (rules' caseClock), instants in the platform zone. */
export interface CaseClockView {
  /** approval.accept, approval.promised, petition.accept, petition.reply, enforcement.limit, supervision.due */
  term: string
  dayType: 'working' | 'calendar' | 'instant'
  /** the term in days, extensions included; null for an instant term (督办) */
  days: number | null
  startedBy: { id: string; type: string; at: string }
  countFrom: string
  /** null when the term is never used up (suspended for good) */
  due: string | null
  stoppedBy: { id: string; type: string; at: string } | null
  readAt: string
  usedMs: number
  /** negative once overdue; null when the term has no length */
  remainingMs: number | null
  paused: boolean
  pausedMs: number
  pauses: Array<{ from: string; to: string | null }>
  countedDates: number
  makeUpDates: string[]
  /** the dates not counted (working-day terms only), at most MAX_CLOCK_DATES */
  skipped: Array<{ date: string; why: 'weekend' | 'holiday' }>
}

/** MAX_CLOCK_DATES bounds the skipped dates a case page lists. */
export const MAX_CLOCK_DATES = 400

/** CasePageCard is a card a case raised, with why: its rule, its instant and the events that caused it. */
export interface CasePageCard {
  key: string
  rule: string
  level: Level
  at: string
  raisedAt: string
  status: string
  causes: string[]
  note?: { reason: string; by: string }
}

/** CasePage is GET /api/v1/cases/:kind/:caseId: everything the case page shows, personal data masked. */
export interface CasePage extends CaseEvents {
  /** the platform clock when read */
  now: string
  /** null when no clock runs yet (no starting event) */
  clock: CaseClockView | null
  /** newest first, at most MAX_CASE_CARDS */
  cards: CasePageCard[]
  /** the case's supervision threads with their histories, newest first */
  threads: Array<{ thread: ThreadView; history: TransitionView[] }>
  /** when the public check code was issued; null when none was */
  checkCode: { issuedAt: string; issuedBy: string } | null
  /** whether this reader may issue the check code (the case's own department, or an admin) */
  canIssueCode: boolean
  /** whether this reader may unmask personal data */
  canUnmask: boolean
}

/** MAX_CASE_CARDS bounds the cards of one case page. */
export const MAX_CASE_CARDS = 200

/** IssuedCheckCode is POST /api/v1/cases/:kind/:caseId/check-code: the code in clear, shown once. */
export interface IssuedCheckCode {
  code: string
  issuedAt: string
}

/** PublicStage is one stage of a case as the public sees it: the event type and its local date. */
export interface PublicStage {
  stage: string
  date: string
}

/** PublicCaseProgress is GET /api/v1/public/cases/:caseId?code=: stages and dates only. */
export interface PublicCaseProgress {
  caseId: string
  kind: Kind
  stages: PublicStage[]
  finished: boolean
}

/** ComplaintInput is POST /api/v1/public/complaints. */
export interface ComplaintInput {
  dept: string
  subject: string
  details: string
  name?: string
  phone?: string
}

/** ComplaintReceipt answers a complaint: its tracking number and the check code to follow it with. */
export interface ComplaintReceipt {
  trackingNumber: string
  checkCode: string
}

/** PublicPerformanceRow is one department's official result of the last frozen period. */
export interface PublicPerformanceRow {
  dept: string
  /** 0..1 */
  onTimeRate: number
  grade: string
}

/** PublicPerformance is GET /api/v1/public/performance: empty while no period is frozen. */
export interface PublicPerformance {
  /** e.g. 2026-10; null when no period is frozen yet */
  period: string | null
  departments: PublicPerformanceRow[]
}

/** PublicDepts is GET /api/v1/public/depts: the active departments' names, for the complaint form. */
export type PublicDepts = DeptNames

// ---- The KPI API (绩效评测), /api/v1/kpi/… with a session (401 without one) --------------
// Shapes shared by dashboard/server/kpi (the routes) and the leader's cockpit. A department
// user is answered only its own row (scope 'own'); leaders, inspectors and admins all rows.

/** KpiUnit is a period's length; a period is named 2026-11, 2026-Q4 or 2026 (kpi.md §1). */
export type KpiUnit = 'month' | 'quarter' | 'year'

/** KpiMovement is a rank against the previous period's: ▲ up, ▼ down, = same, new (no previous rank). */
export type KpiMovement = 'up' | 'down' | 'same' | 'new'

/** KpiSchemeView is the scheme that produced a result: its version, categories, indicators and grades. */
export interface KpiSchemeView {
  /** "sha256:…", recorded by every result */
  version: string
  categories: Array<{ name: string; label: string | null; weight: number; indicators: Array<{ name: string; label: string | null; weight: number }> }>
  /** highest first */
  grades: Array<{ name: string; min: number }>
}

/** KpiRankingRow is one department in a period's ranking; numbers rounded to 2 decimals, null for 无数据. */
export interface KpiRankingRow {
  dept: string
  name: { 'zh-CN': string; en: string }
  kind: DeptKind | null
  counts: Record<string, number>
  indicators: Record<string, number | null>
  categories: Record<string, number | null>
  score: number | null
  grade: string | null
  rank: number | null
  previousRank: number | null
  movement: KpiMovement
  /** places moved up (negative: down); null without a previous rank */
  places: number | null
}

/** KpiRevisionView is a change a late event made to an official result, shown beside it (never in it). */
export interface KpiRevisionView {
  id: number
  dept: string
  notedAt: number
  before: { score: number | null; grade: string | null; rank: number | null } | null
  after: { score: number | null; grade: string | null; rank: number | null } | null
  cause: Array<{ count: string; delta: number; at: string; kind: string; caseId: string; rule: string | null }>
}

/** KpiRanking is GET /api/v1/kpi/rankings?period=P[&kind=K]: official when the period is frozen, else live. */
export interface KpiRanking {
  period: string
  unit: KpiUnit
  status: 'official' | 'live'
  /** when it was frozen; null while live */
  frozenAt: number | null
  /** the instant the figures run to (exclusive) */
  asOf: number
  kind: DeptKind | null
  scheme: KpiSchemeView
  /** 'own': a department user, answered its own row only */
  scope: 'all' | 'own'
  /** how many departments are ranked in the period (a department user's "rank N of M") */
  ranked: number
  rows: KpiRankingRow[]
  /** of an official result: the revisions noted since, for the rows answered */
  revisions: KpiRevisionView[]
}

/** KpiTrendPoint is one period of a department's trend; null figures where it had no workload (无数据). */
export interface KpiTrendPoint {
  period: string
  /** official where the period is frozen (its frozen row), live before */
  status: 'official' | 'live'
  score: number | null
  grade: string | null
  rank: number | null
  indicators: Record<string, number | null>
}

/** KpiTrend is GET /api/v1/kpi/departments/{dept}/trend?unit=U[&periods=12][&until=P]: oldest first. */
export interface KpiTrend {
  dept: string
  name: { 'zh-CN': string; en: string }
  unit: KpiUnit
  scheme: KpiSchemeView
  points: KpiTrendPoint[]
}

/** KpiTrendPeriods is the default and the most periods a trend answers. */
export const KPI_TREND_PERIODS = 12
export const MAX_KPI_TREND_PERIODS = 36

/** KpiDrillCase is one case's part in one count: the instant that placed it in the period and, for a card, the rule. */
export interface KpiDrillCase {
  /** a case's kind, or 'thread' for a supervision thread (the cooperation counts, threads.*: caseId is the thread's id) */
  kind: Kind | 'thread'
  caseId: string
  count: string
  n: number
  at: number
  rule: string | null
}

/** KpiDrillDown is GET /api/v1/kpi/departments/{dept}/drilldown?period=P&indicator=I. */
export interface KpiDrillDown {
  period: string
  dept: string
  name: { 'zh-CN': string; en: string }
  indicator: string
  label: string | null
  value: number | null
  scheme: string
  parts: Array<{ role: 'numerator' | 'denominator' | 'deduction' | 'base'; count: string; sign: 1 | -1; value: number; cases: KpiDrillCase[]; truncated: boolean }>
}

/** MAX_DRILL_CASES bounds the cases one part of a drill-down answers (the export holds all). */
export const MAX_DRILL_CASES = 500

/** KpiChanged is the Socket.IO event 'kpi': figures of these periods changed; the cockpit and the wall read them again. */
export interface KpiChanged {
  periods: string[]
  at: number
}

/** ReformCandidate is one item, rule or step behind many cards, suspensions or overdue days (辅助决策). */
export interface ReformCandidate {
  dimension: 'item' | 'rule' | 'step'
  /** an item's code (itemCode), a rule's name, a skipped step (approval.accepted, approval.decided) */
  key: string
  /** an item's name (itemName) as its cases give it; absent for rules and steps, which the web app names itself */
  label?: string
  cards: number
  suspensions: number
  /** working days past the due instants, summed over its overdue cases */
  overdueDays: number
  departments: string[]
  /** a bounded sample of its cases, most cards first */
  cases: Array<{ kind: Kind; caseId: string }>
  caseCount: number
}

/** DecisionSupport is GET /api/v1/kpi/reform?from=YYYY-MM-DD&until=YYYY-MM-DD (leaders, inspectors, admins). */
export interface DecisionSupport {
  from: string
  until: string
  candidates: ReformCandidate[]
}

/** MAX_REFORM_CANDIDATES bounds each dimension's candidates. */
export const MAX_REFORM_CANDIDATES = 20

/** MAX_REFORM_CASES bounds the sample of cases each candidate links to. */
export const MAX_REFORM_CASES = 10

/** MAX_REFORM_DAYS is the longest period decision support reads, from and until both counted. */
export const MAX_REFORM_DAYS = 366

/**
 * The shapes the consoles' API answers with (docs/accounts.md, docs/lifecycle.md
 * "Console API"), as the browser receives them: instants are RFC 3339 strings in
 * the platform zone. Server types are reused where the server exports them.
 */
import type { Level } from '../../../common/contract/alert.ts'
import type { Kind } from '../../../common/contract/event.ts'
import type { ActionName, Actor, AttachmentRef, State } from '../../../alerts/lifecycle/states.ts'
import type { Action as Permission } from '../../server/accounts/access.ts'
import type { Role } from '../../server/accounts/users.ts'

export type { ActionName, Actor, Kind, Level, Permission, Role, State }

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

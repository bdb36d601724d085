/** SMS routing and notification (docs/notify.md): what the rest of the platform uses. */
export {
  buildPipeline, Dispatcher, notifySettings, DEFAULT_NOTIFY_SETTINGS,
  type DispatcherOptions, type Held, type IncomingCard, type NotifySettings, type PipelineDeps, type RunReport,
} from './pipeline.ts'
export {
  decide, multiStage, toNotice,
  type Decision, type DecisionAction, type DecisionReason, type DecisionSink, type Notice, type NotifyContext, type Recipient, type Role, type Stage,
} from './stage.ts'
export { dedupStage, levelKey, notifyKeys, threadOf, type FamilyOf, type NotifiedKeys } from './dedup.ts'
export { silenceMutes, silencedBy, silenceStage, type ActiveSilences, type Silence } from './silences.ts'
export {
  activeSilences, createSilence, expireSilence, silencesSince, validateSilence, SilenceError, MAX_SILENCE_MS, MIN_REASON,
  type SilenceInput,
} from './silenceStore.ts'
export { DEFAULT_QUIET_HOURS, isQuiet, quietEnd, quietHoursStage, quietWindow, type QuietHours, type QuietWindow } from './quietHours.ts'
export { Parking } from './parking.ts'
export {
  checkRoutes, DEFAULT_ROUTES, recipientsOf, routeFor, routeStage, ruleMatches,
  type Contact, type ContactsOf, type DeptContacts, type RouteRule,
} from './route.ts'
export { contactsOf, deleteContact, listContacts, normalizePhone, upsertContact, validateContact, ContactError, MOBILE, type ContactInput } from './contactStore.ts'
export { markNotified, notifiedKeys, pruneNotified } from './sentStore.ts'
export { DEFAULT_GROUP_SETTINGS, digestId, Grouper, groupKeyOf, groupStage, type Digest, type GroupSettings } from './group.ts'
export { CODE_ALPHABET, deptLabel, type DeptNameOf, digestText, MAX_DIGEST, MAX_SINGLE, NO_NAMES, RULE_LABELS, ruleLabel, shortCode, singleText } from './text.ts'
export { messagesOf, outboxStage, render, type CodeFor, type Enqueue, type Message, type OutboxEntry } from './outbox.ts'

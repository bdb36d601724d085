/** The supervision loop (docs/lifecycle.md): what the rest of the platform uses. */
export {
  transition, isRefusal, isOpen, familyOf, FAMILY_OF, STATES, OPEN_STATES, MIN_RECTIFICATION_TEXT, MAX_ATTACHMENTS,
  type Action, type ActionName, type Actor, type AttachmentRef, type AttachmentType, type Refusal, type RefusalReason,
  type Role, type State, type Thread, type Transition, type TransitionEvent,
} from './states.ts'
export {
  ThreadStore, SYSTEM_RULES,
  type OpenResult, type Rectification, type Scope, type StoredThread, type StoredTransition, type ThreadFilter, type ThreadStoreOptions,
  type TransitionHook,
} from './threadStore.ts'
export { AttachmentError, AttachmentStore, checkUpload, DEFAULT_LIMITS, readLimited, sanitizeName, sniffType, type AttachmentLimits, type Upload } from './attachments.ts'
export {
  DEFAULT_ESCALATION, rectificationDeadline, runEscalationOnce, startEscalation, stepInstant, stepsDue, STEPS,
  type DueStep, type EscalationHandle, type EscalationOptions, type EscalationSettings, type FiredStep, type Notify, type Step,
} from './escalation.ts'

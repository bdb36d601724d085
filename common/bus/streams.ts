/**
 * The persisted JetStream streams: events, alerts, and the dead letters of both.
 * Everything else on the bus (live fan-out, control) is core NATS and deliberately
 * not stored.
 */
import {
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream'
import { nanos } from '@nats-io/transport-node'
import { alertsFilter, deadFilter, eventsFilter } from './subjects.ts'

/** EVENTS_STREAM stores every domain event (jiancha.events.>). */
export const EVENTS_STREAM = 'JIANCHA_EVENTS'
/** ALERTS_STREAM stores every alert (jiancha.alerts.>). */
export const ALERTS_STREAM = 'JIANCHA_ALERTS'
/** DEAD_STREAM stores the messages a consumer gave up on (jiancha.dead.<stream>), with the reason in headers. */
export const DEAD_STREAM = 'JIANCHA_DEAD'
/** DEFAULT_DUPLICATE_WINDOW_MS is how long a msgId is remembered for de-duplication (24 h). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000

/** StreamsOptions tunes ensureStreams. */
export interface StreamsOptions {
  duplicateWindowMs?: number
}

// JetStream API error codes.
const STREAM_NOT_FOUND = 10059
const STREAM_NAME_IN_USE = 10058

/** NamedStreamConfig is a partial stream configuration that always carries the name. */
export type NamedStreamConfig = Partial<StreamConfig> & { name: string }

/** streamConfigs returns the desired configuration of the streams. */
export function streamConfigs(opts: StreamsOptions = {}): NamedStreamConfig[] {
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 0, // unlimited: the streams are the system of record
    duplicate_window: nanos(opts.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  }
  return [
    { name: EVENTS_STREAM, subjects: [eventsFilter()], ...common },
    { name: ALERTS_STREAM, subjects: [alertsFilter()], ...common },
    { name: DEAD_STREAM, subjects: [deadFilter()], ...common },
  ]
}

/** ensureStreams creates the streams, or updates them in place when they already exist. */
export async function ensureStreams(jsm: JetStreamManager, opts: StreamsOptions = {}): Promise<StreamInfo[]> {
  const out: StreamInfo[] = []
  for (const cfg of streamConfigs(opts)) out.push(await ensureStream(jsm, cfg))
  return out
}

async function ensureStream(jsm: JetStreamManager, cfg: NamedStreamConfig): Promise<StreamInfo> {
  const name = cfg.name
  try {
    await jsm.streams.info(name)
  } catch (err) {
    if (!isApiError(err, STREAM_NOT_FOUND)) throw err
    try {
      return await jsm.streams.add(cfg)
    } catch (addErr) {
      // Another component created it between our info and add: update instead.
      if (!isApiError(addErr, STREAM_NAME_IN_USE)) throw addErr
    }
  }
  // Storage type cannot change on a live stream; everything else we set can.
  const { storage: _storage, name: _name, ...update } = cfg
  return jsm.streams.update(name, update)
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code
}

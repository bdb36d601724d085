/**
 * The platform's zone in the app: App provides it from the session (Me.zone), and every
 * component that shows or reads a time injects it, so that times follow JIANCHA_ZONE.
 */
import { inject, type InjectionKey, type Ref, ref } from 'vue'

/** PLATFORM_ZONE is the injection key of the zone's IANA name. */
export const PLATFORM_ZONE: InjectionKey<Readonly<Ref<string>>> = Symbol('platformZone')

/** usePlatformZone returns the zone App provides; UTC before a session says (no page shows a time then). */
export function usePlatformZone(): Readonly<Ref<string>> {
  return inject(PLATFORM_ZONE, () => ref('UTC'), true)
}

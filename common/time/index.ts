/** The public face of common/time: other components import from here, and only from here. */
export { type CalendarYear, WorkCalendar } from './calendar.ts'
export { parseCalendarFile } from './calendarFile.ts'
export { listCalendarImports, loadCalendarYears, overlay, platformCalendarYears, saveCalendarYear } from './calendarStore.ts'
export { bundledYears } from './calendars/bundled.ts'
export { type Clock, DemoClock, systemClock } from './clock.ts'
export { afterWorkingHours, OFFICE } from './officeHours.ts'
export { DAY_MS, dayFromIso, DEFAULT_ZONE, isoFromDay, parseInstant, weekdayOf, yearOf, Zone } from './zone.ts'

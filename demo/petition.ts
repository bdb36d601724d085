/**
 * The lifecycle of a simulated petition (信访): registered → accepted → (extended) →
 * replied → evaluated. Some are never accepted, some replied late, some rated
 * unsatisfied, and some come from repeat petitioners.
 */
import { DEPARTMENTS, department } from './city.ts'
import { finish, newCase, type CasePlan } from './caseBuilder.ts'
import { hashString, mulberry32, type Rng } from './prng.ts'
import { onDay, officeAfter, weekdayFrom } from './schedule.ts'
import { HOUR, localDay } from './shanghai.ts'
import { drawViolation, type Mix } from './violations.ts'

/** PETITION_MIX is the share of petitions built to fire each rule (16% in all). */
export const PETITION_MIX = {
  'petition.repeat': 0.06,
  'petition.unsatisfied': 0.05,
  'petition.accept_overdue': 0.03,
  'petition.reply_overdue': 0.02,
} as const satisfies Mix<string>

/**
 * REPEAT_WINDOW_DAYS and REPEAT_SLOTS shape repeat petitioners: cases are independent,
 * so repeat petitions registered in the same 10-day window share one of a few
 * petitioner ids. Three of them within 10 days is a repeat (3 within 30 days).
 */
export const REPEAT_WINDOW_DAYS = 10
export const REPEAT_SLOTS = 4

const letters = department('letters')!
const others = DEPARTMENTS.filter((d) => d.petitionSubjects.length > 0 && d !== letters)
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙']
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '建华', '桂英']

/** petitionCase builds petition case `index`. */
export function petitionCase(seed: number, index: number, arrival: number, rng: Rng): CasePlan {
  const v = drawViolation(rng, PETITION_MIX)
  // Repeat petitioners come back to the letters bureau; most petitions are received there.
  const dept = v === 'petition.repeat' || rng.chance(0.5) ? letters : rng.pick(others)
  const b = newCase(seed, index, 'petition', dept.code, rng)
  const registeredAt = rng.chance(0.15) ? arrival : officeAfter(rng, arrival)
  const petitionerId = v === 'petition.repeat'
    ? `R${seed}-${Math.floor(localDay(registeredAt) / REPEAT_WINDOW_DAYS)}-${rng.int(0, REPEAT_SLOTS - 1)}`
    : `P${seed}-${index}`
  const registered = b.add('registered', registeredAt, petitioner(petitionerId, dept.petitionSubjects, rng), true)
  if (v === 'petition.accept_overdue') return finish(b, v) // never accepted

  // Accepted within 9 days (15 allowed); replied before due soon (60 − 5), unless built late.
  const accepted = b.add('accepted', onDay(rng, weekdayFrom(localDay(registered) + rng.int(1, 7)), registered))
  let replyIn = rng.int(10, 45)
  if (v === 'petition.reply_overdue') replyIn = rng.int(63, 90)
  else if (rng.chance(0.1)) {
    const days = rng.int(10, 30)
    b.add('extended', onDay(rng, weekdayFrom(localDay(accepted) + rng.int(30, 45)), accepted), { days })
    replyIn = rng.int(46, 50 + days)
  }
  const replied = b.add('replied', onDay(rng, weekdayFrom(localDay(accepted) + replyIn), b.last))
  if (v === 'petition.unsatisfied' || rng.chance(0.5)) {
    b.add('evaluated', officeAfter(rng, replied, rng.between(24, 120) * HOUR), { satisfied: v !== 'petition.unsatisfied' }, true)
  }
  return finish(b, v)
}

/** petitioner gives the registration attributes; name, phone and subject are stable per petitioner. */
function petitioner(petitionerId: string, subjects: readonly string[], rng: Rng): Record<string, unknown> {
  const p = mulberry32(hashString(petitionerId))
  const attrs: Record<string, unknown> = { petitionerId, subject: p.pick(subjects) }
  if (rng.chance(0.7)) {
    // Synthetic personal data: the platform must mask it (contract §4).
    attrs.petitionerName = p.pick(SURNAMES) + p.pick(GIVEN)
    attrs.phone = '1' + p.pick(['38', '39', '50', '58', '86', '88']) + String(p.int(0, 99_999_999)).padStart(8, '0')
  }
  return attrs
}

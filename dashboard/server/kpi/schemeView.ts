/**
 * A scheme as the API shows it (KpiSchemeView), read from its canonical text: the text
 * every version is stored with (kpi_schemes), so that an official result frozen under an
 * older scheme is shown with that scheme, not the one in force.
 */
import type { KpiSchemeView } from '../../../common/contract/index.ts'

/** Canonical is the canonical text's shape (kpi/scheme.ts canonicalText): exact numbers written as decimals. */
interface Canonical {
  categories: Array<{ name: string; label: string | null; indicators: Array<{ name: string; label: string | null; weight: string }> }>
  grades: Array<{ name: string; min: string }>
}

/** schemeView gives the view of a scheme version from its canonical text. */
export function schemeView(s: { version: string; canonical: string }): KpiSchemeView {
  const c = JSON.parse(s.canonical) as Canonical
  return {
    version: s.version,
    categories: c.categories.map((cat) => {
      const indicators = cat.indicators.map((i) => ({ name: i.name, label: i.label, weight: decimal(i.weight) }))
      // A category's weight is the sum of its indicators' (kpi.md §3); summed here in hundredths, against float drift.
      const weight = Math.round(indicators.reduce((sum, i) => sum + i.weight * 100, 0)) / 100
      return { name: cat.name, label: cat.label, weight, indicators }
    }),
    grades: c.grades.map((g) => ({ name: g.name, min: decimal(g.min) })),
  }
}

/** decimal reads an exact number as written there: 15, 0.125, or num/den when no decimal is exact. */
function decimal(text: string): number {
  const [num, den] = text.split('/')
  return den === undefined ? Number(num) : Number(num) / Number(den)
}

/** unknownScheme is the view of a version whose text is not stored: its name alone. */
export function unknownScheme(version: string): KpiSchemeView {
  return { version, categories: [], grades: [] }
}

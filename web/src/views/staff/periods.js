// Days and periods for targets and progress, as "YYYY-MM-DD" in the browser's clock.
const pad = (n) => String(n).padStart(2, '0')

// isoDay(date) -> '2026-11-27'
export const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

// The first and last day of month m (0-11) of year y, m may run over (13 = next year).
function months(y, m, count) {
  return { start: isoDay(new Date(y, m, 1)), end: isoDay(new Date(y, m + count, 0)) }
}

// monthOf('2026-11-27') -> {from: '2026-11-01', to: '2026-11-30'}: the calendar month
// the progress figures cover when a person has no target for the day.
export function monthOf(iso) {
  const [y, m] = iso.split('-').map(Number)
  const { start, end } = months(y, m - 1, 1)
  return { from: start, to: end }
}

// presets(today) -> [{key, label: {kind, y, m?, q?}, start, end}]: this and next month,
// this and next quarter, this year. The label is put into words by the page.
export function presets(today = new Date()) {
  const y = today.getFullYear()
  const m = today.getMonth()
  const q = Math.floor(m / 3)
  const next = new Date(y, m + 1, 1)
  const nextQ = new Date(y, q * 3 + 3, 1)
  return [
    { key: 'thisMonth', label: { kind: 'month', y, m: m + 1 }, ...months(y, m, 1) },
    { key: 'nextMonth', label: { kind: 'month', y: next.getFullYear(), m: next.getMonth() + 1 }, ...months(y, m + 1, 1) },
    { key: 'thisQuarter', label: { kind: 'quarter', y, q: q + 1 }, ...months(y, q * 3, 3) },
    {
      key: 'nextQuarter',
      label: { kind: 'quarter', y: nextQ.getFullYear(), q: Math.floor(nextQ.getMonth() / 3) + 1 },
      ...months(y, q * 3 + 3, 3)
    },
    { key: 'thisYear', label: { kind: 'year', y }, ...months(y, 0, 12) }
  ]
}

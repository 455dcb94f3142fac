// The four figures of a target, the record kind behind each (GET /records?kind=) and
// whether it is an amount (shown as the server's text, never re-formatted).
export const FIGURES = [
  { key: 'new_customers', kind: 'customer_new', amount: false },
  { key: 'visits', kind: 'visit', amount: false },
  { key: 'deal_amount', kind: 'deal', amount: true },
  { key: 'payment_amount', kind: 'payment', amount: true }
]

// percent(actual, target) -> a whole percentage for the bar's text (may pass 100), or
// null without a target. Number() is used here only, never for what is displayed.
export function percent(actual, target) {
  const goal = Number(target)
  if (target === null || target === undefined || !(goal > 0)) return null
  return Math.floor((Number(actual) / goal) * 100)
}

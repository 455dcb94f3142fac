// Amounts in yuan as the API exchanges them: text with at most two decimals ("1234.5",
// "0.00", "-300.10"). They are read, checked and shown with text operations only, never
// through floating point, so what the server computed is what the page shows.
const AMOUNT = /^(-?)(\d+)(?:\.(\d{1,2}))?$/

// splitAmount('1234.5') -> {sign: '', whole: '1234', cents: '50'}; null when not an amount.
function splitAmount(value) {
  if (value === null || value === undefined) return null
  const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : String(value).trim()
  const m = AMOUNT.exec(text)
  if (!m) return null
  const whole = m[2].replace(/^0+(?=\d)/, '')
  return { sign: m[1] && /[1-9]/.test(whole + (m[3] || '')) ? '-' : '', whole, cents: (m[3] || '').padEnd(2, '0') }
}

// normalizeAmount(' 1234.5 ') -> '1234.50': what a person typed as the API's text; null
// when it is not an amount with at most two decimals, or not more than zero.
export function normalizeAmount(input) {
  if (input === null || input === undefined) return null
  const p = splitAmount(String(input).trim())
  if (!p || p.sign || !/[1-9]/.test(p.whole + p.cents)) return null
  return `${p.whole}.${p.cents}`
}

// formatAmount('1234.5') -> '¥1,234.50'; a value that is not an amount is shown as it is.
export function formatAmount(value) {
  const p = splitAmount(value)
  if (!p) return value === null || value === undefined || value === '' ? '—' : String(value)
  const grouped = p.whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${p.sign}¥${grouped}.${p.cents}`
}

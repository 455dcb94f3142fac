// Dates and amounts for display. The server sends ISO 8601 timestamps with an offset;
// they are shown in the browser's time zone.
const pad = (n) => String(n).padStart(2, '0')

function toDate(iso) {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

// formatDate('2026-11-27T10:12:01+00:00') -> '2026-11-27' ('' for none)
export function formatDate(iso) {
  const d = toDate(iso)
  return d ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : ''
}

// formatDateTime(iso) -> '2026-11-27 18:12' ('' for none)
export function formatDateTime(iso) {
  const d = toDate(iso)
  return d ? `${formatDate(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}` : ''
}

// formatMoney(1234.5, 'zh-CN') -> '¥1,234.50'
export function formatMoney(n, lang) {
  const value = Number(n) || 0
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: 2
  }).format(value)
}

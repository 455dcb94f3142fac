// The phone's clock, as the field-work forms send it: local time with its UTC offset
// ("2026-11-27T18:30:00+08:00"), never toISOString's UTC "Z" form, so that the server
// sees both the instant and the zone the salesperson was in.
const pad = (n) => String(n).padStart(2, '0')

// isoWithOffset(new Date()) -> '2026-11-27T18:30:00+08:00'
export function isoWithOffset(d = new Date()) {
  const east = -d.getTimezoneOffset() // minutes east of UTC
  const sign = east >= 0 ? '+' : '-'
  const abs = Math.abs(east)
  return (
    `${localDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

// localDay(new Date()) -> '2026-11-27': the date on the phone's own calendar.
export function localDay(d = new Date()) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

// isDay('2026-02-30') -> false: a real YYYY-MM-DD date.
export function isDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ''))
  if (!m) return false
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]
}

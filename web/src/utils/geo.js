// The phone's position (navigator.geolocation), as a promise that never rejects:
// {ok: true, lat, lng, accuracy, at} or {ok: false, reason} with reason one of
// 'denied' (the person or the browser said no), 'insecure' (plain HTTP: browsers give
// positions only to HTTPS pages), 'unavailable', 'timeout', 'unsupported'.
const REASONS = { 1: 'denied', 2: 'unavailable', 3: 'timeout' }

export function locate({ timeout = 10000, maximumAge = 30000 } = {}) {
  if (typeof navigator === 'undefined' || !navigator.geolocation) {
    return Promise.resolve({ ok: false, reason: 'unsupported' })
  }
  if (typeof window !== 'undefined' && window.isSecureContext === false) {
    return Promise.resolve({ ok: false, reason: 'insecure' })
  }
  return new Promise((resolve) => {
    // Some browsers never call back when the permission prompt is ignored.
    const guard = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeout + 2000)
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(guard)
        resolve({
          ok: true,
          lat: round7(p.coords.latitude),
          lng: round7(p.coords.longitude),
          accuracy: Math.round(p.coords.accuracy || 0),
          at: Date.now()
        })
      },
      (e) => {
        clearTimeout(guard)
        resolve({ ok: false, reason: REASONS[e && e.code] || 'unavailable' })
      },
      { enableHighAccuracy: true, timeout, maximumAge }
    )
  })
}

// Seven decimals are about a centimetre: more says nothing and only makes the text long.
export const round7 = (x) => Math.round(x * 1e7) / 1e7

// formatCoords(39.9042, 116.4074) -> '39.904200, 116.407400'
export function formatCoords(lat, lng) {
  const n = (x) => Number(x).toFixed(6)
  return lat === null || lat === undefined || lng === null || lng === undefined ? '' : `${n(lat)}, ${n(lng)}`
}

// The one fetch wrapper every API module goes through. It sends cookies (same origin),
// JSON, the UI language (so the server's messages match), the CSRF token on
// state-changing methods and an Idempotency-Key on POST; it turns the server's
// {"error": {code, message, field}} into a thrown ApiError and shows its message.
import { ElMessage } from '@/ui/element'
import { i18n } from '@/locales'

const BASE = '/api/v1'
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const MAX_RETRIES = 2
const MAX_RETRY_WAIT_MS = 5000

// Set once by main.js, so this module needs neither the store nor the router.
const hooks = {
  csrfToken: () => '',
  onSessionEnded: () => {},
  onContact: () => {}
}

// configureRequest installs the hooks: csrfToken() -> string, onSessionEnded() when a
// request answers 401 because the session is gone, onContact() after any success.
export function configureRequest(newHooks) {
  Object.assign(hooks, newHooks)
}

export class ApiError extends Error {
  constructor({ status, code, message, field, detail }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
    this.detail = detail || null // e.g. duplicate_name: {id, number, in_pool, owner}
    this.sessionEnded = false
  }
}

// newIdempotencyKey returns a random UUID v4. crypto.randomUUID exists only in secure
// contexts (HTTPS, localhost); plain-HTTP intranet installs use getRandomValues.
export function newIdempotencyKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const t = (key, values) => i18n.global.t(key, values)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function retryDelay(response, attempt) {
  const seconds = Number(response && response.headers.get('Retry-After'))
  const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 500 * attempt
  return Math.min(ms, MAX_RETRY_WAIT_MS)
}

// A GET is safe to repeat, and a POST carries an Idempotency-Key that makes the server
// answer a repeat with the first result; PUT/DELETE are not repeated automatically.
async function fetchWithRetry(url, init) {
  const retryable = init.method === 'GET' || init.method === 'POST'
  for (let attempt = 1; ; attempt++) {
    let response
    try {
      response = await fetch(url, init)
    } catch (networkError) {
      if (!retryable || attempt > MAX_RETRIES) throw networkError
      await sleep(retryDelay(null, attempt))
      continue
    }
    if (response.status !== 503 || !retryable || attempt > MAX_RETRIES) return response
    await sleep(retryDelay(response, attempt))
  }
}

async function readJson(response) {
  if (response.status === 204) return null
  if (!(response.headers.get('Content-Type') || '').includes('json')) return null
  try {
    return await response.json()
  } catch {
    return null
  }
}

function toApiError(status, data) {
  const e = data && data.error
  if (e && e.message) {
    return new ApiError({ status, code: e.code, message: e.message, field: e.field, detail: e.detail })
  }
  // Not the API speaking (an nginx error page, a proxy): say so in the UI language.
  const message = status >= 500 ? t('errors.server', { status }) : t('errors.unknown')
  return new ApiError({ status, code: `http_${status}`, message })
}

function fail(error, silent) {
  if (!silent) ElMessage({ type: 'error', message: error.message, grouping: true, showClose: true })
  throw error
}

/**
 * request sends one API call and resolves with the parsed JSON body (null for 204).
 * options: body (object, sent as JSON); silent (the caller shows errors itself, no
 * ElMessage); sessionCheck (default true: a 401 ends the session and sends the user to
 * the login page; false for the login call and the start-up /me); raw (a Blob sent as the
 * body as it is: file uploads); idempotencyKey (POST
 * only; a fresh one per call by default, reused by the automatic retries).
 * Rejects with ApiError {status, code, message, field, detail, sessionEnded}.
 */
export async function request(method, path, options = {}) {
  const { body, raw, silent = false, sessionCheck = true, idempotencyKey } = options
  const headers = { Accept: 'application/json', 'Accept-Language': i18n.global.locale.value }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (raw !== undefined) headers['Content-Type'] = raw.type || 'application/octet-stream' // a file as the body
  if (STATE_CHANGING.has(method)) {
    const token = hooks.csrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }
  if (method === 'POST') headers['Idempotency-Key'] = idempotencyKey || newIdempotencyKey()
  const init = {
    method,
    headers,
    credentials: 'same-origin',
    body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body)
  }

  let response
  try {
    response = await fetchWithRetry(BASE + path, init)
  } catch {
    return fail(new ApiError({ status: 0, code: 'network', message: t('errors.network') }), silent)
  }
  const data = await readJson(response)
  if (response.ok) {
    hooks.onContact()
    return data
  }
  const error = toApiError(response.status, data)
  // 401 bad_login is a wrong password (login, password change), not a lost session.
  if (response.status === 401 && sessionCheck && error.code !== 'bad_login') {
    error.sessionEnded = true
    hooks.onSessionEnded()
    throw error // the login page explains it; no toast on top
  }
  return fail(error, silent)
}

export const get = (path, options) => request('GET', path, options)
export const post = (path, body, options) => request('POST', path, { ...options, body })
export const put = (path, body, options) => request('PUT', path, { ...options, body })
export const del = (path, options) => request('DELETE', path, options)

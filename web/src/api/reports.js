// Reports and the business portal (issue 6, /work/helpers/REPORTS-API.md and the
// "Reports" section of docs/api.md): the catalogue, one report's page of rows, its
// .xlsx export, the portal of the user's role, and the custom report definitions.
import { ApiError, get, post, put } from './request'
import { ElMessage } from '@/ui/element'
import { i18n } from '@/locales'

// toQuery({from: '2026-01-01', region: '', page: 2}) -> 'from=2026-01-01&page=2':
// empty values are left out (the server applies the report's defaults for them).
export function toQuery(params) {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue
    q.set(key, String(value))
  }
  return q.toString()
}

const withQuery = (path, params) => {
  const q = toQuery(params)
  return q ? `${path}?${q}` : path
}
const enc = encodeURIComponent

// list() -> {reports: [{name, title, kind, chart, mine, custom, editable}]}
export const list = (options) => get('/reports', options)

// report(name, {from, to, region, ..., page, size, sort}) -> the report's page of rows
// with its filters, columns, chart and drill (REPORTS-API.md "GET /reports/{name}").
export const report = (name, params, options) => get(withQuery(`/reports/${enc(name)}`, params), options)

// portal() -> {items: [{report, span}]}: the dashboard of the user's role.
export const portal = (options) => get('/portal', options)

// sources() -> {sources: [{name, label, fields: [...], filters: [...]}]}
export const sources = (options) => get('/reports/sources', options)

// definition(name) -> {definition}: a report's definition (built-in ones too, to copy).
export const definition = (name, options) => get(`/reports/${enc(name)}/definition`, options)

// create(def) -> {name}; update(name, def) -> {name}. A definition the server refuses
// rejects with ApiError 422 report_invalid whose message names the field.
export const create = (def, options) => post('/reports', { definition: def }, options)
export const update = (name, def, options) => put(`/reports/${enc(name)}`, { definition: def }, options)

// exportXlsx(name, params) downloads every row of the report as .xlsx under the name the
// server gives (Content-Disposition). A refusal (403 for salespeople) is shown as the
// server's message and rejects with ApiError. The download goes through fetch rather
// than a plain link so that an error answer never replaces the page.
export async function exportXlsx(name, params) {
  const lang = i18n.global.locale.value
  const url = '/api/v1' + withQuery(`/reports/${enc(name)}/export`, params)
  let response
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': lang } })
  } catch {
    return fail(new ApiError({ status: 0, code: 'network', message: i18n.global.t('errors.network') }))
  }
  if (!response.ok) {
    let body = null
    try {
      body = await response.json()
    } catch {
      /* not the API speaking */
    }
    const e = body && body.error
    return fail(
      new ApiError({
        status: response.status,
        code: e?.code || `http_${response.status}`,
        message: e?.message || i18n.global.t('errors.unknown'),
        field: e?.field
      })
    )
  }
  const blob = await response.blob()
  const disposition = response.headers.get('Content-Disposition') || ''
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition)
  const file = m ? decodeURIComponent(m[1] || m[2]) : `${name}.xlsx`
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = file
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10000)
  return file
}

function fail(error) {
  ElMessage({ type: 'error', message: error.message, grouping: true, showClose: true })
  throw error
}

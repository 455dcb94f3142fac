// Customer import and export (docs/api.md "Customer import and export"): the
// template, the upload with its pre-check, the import's state while it runs, the
// customers it created, and the .xlsx export of the customer list.
import { get, request } from './request'
import { submit } from './documents'
import { toQueryString } from './customers'

// templateUrl('xlsx' | 'csv'): the import template, generated from the customer form.
export const templateUrl = (format) => `/api/v1/imports/template?format=${format}`

// upload(file) -> {import: {id, total, good, bad, counts, problems: [{row, column,
// header, field, code, message}], status, progress, document}}: the pre-check.
export const upload = (file, options = {}) =>
  request('POST', `/imports?${new URLSearchParams({ name: String(file.name || '').slice(0, 200) })}`, {
    ...options,
    raw: file
  })

// getImport(id) -> {import}: the same, with progress {phase, done, total} while it runs.
export const getImport = (id, options) => get(`/imports/${encodeURIComponent(id)}`, options)

// importedCustomers(id, {page, size}) -> {items: [{id, number, name, owner}], total}.
export const importedCustomers = (id, paging, options) =>
  get(`/imports/${encodeURIComponent(id)}/customers${toQueryString(paging)}`, options)

// runImport(id, mode, {idempotencyKey}) -> {document, applied, result: {imported,
// first_number, last_number}}; mode: all | good_only.
export const runImport = (id, mode, options) => submit('customer_import', { import_id: id, mode }, options)

// exportCustomers({view, type, q, sort}) -> a Blob (.xlsx) and its row count; throws
// the server's message (403 for salespeople).
export async function exportCustomers(params, lang) {
  const res = await fetch(`/api/v1/exports/customers${toQueryString(params)}`, {
    credentials: 'same-origin',
    headers: { 'Accept-Language': lang }
  })
  if (!res.ok) {
    let message = `HTTP ${res.status}`
    try {
      message = (await res.json()).error.message || message
    } catch {
      /* not JSON: keep the status */
    }
    throw new Error(message)
  }
  return { blob: await res.blob(), rows: Number(res.headers.get('X-Export-Rows') || 0) }
}

// saveBlob offers a Blob as a download named name.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

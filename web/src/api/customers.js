// Customer archive (docs/api.md "The archive"): the lists, one customer, its timeline.
// Reading only: every change goes through a document (documents.js).
import { get } from './request'

// Only the parameters that are set go into the query string.
function query(params) {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') q.set(key, String(value))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

// list({view, type, q, page, size, sort}) -> {items, total, page, size, view}
// view: mine | shared_by_me | shared_with_me | pool | all.
export const list = (params, options) => get(`/customers${query(params)}`, options)

// get(id) -> {customer} with aggregates, owner, shared_with and can {claim, change, transfer}
export const getCustomer = (id, options) => get(`/customers/${encodeURIComponent(id)}`, options)

// timeline(id) -> {items: [{type: document|change|pool, at, kind, number, document_id,
// who, detail, field, before, after}]}, newest first.
export const timeline = (id, options) => get(`/customers/${encodeURIComponent(id)}/timeline`, options)

export { query as toQueryString }

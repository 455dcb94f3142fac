// Documents (单据): the one write path to the archive, their approval and the to-dos.
import { get, post } from './request'
import { toQueryString } from './customers'

// submit(kind, data, {idempotencyKey, silent}) -> {document, applied, result}.
// The caller keeps one idempotencyKey per submission so that a repeat (a retry, a
// second click) answers the first result instead of creating a second document.
export const submit = (kind, data, options = {}) => post('/documents', { kind, data }, options)

// list({kind, status}) -> {items: [{id, number, kind, status, created_at, customer_id,
// customer_name, applicant}]}: my documents, newest 200.
export const list = (params, options) => get(`/documents${toQueryString(params)}`, options)

// getDocument(id) -> {document} with its approval trail (steps).
export const getDocument = (id, options) => get(`/documents/${encodeURIComponent(id)}`, options)

// decide(id, action, comment, {idempotencyKey}) -> {document, applied};
// action: approve | reject | return (reject and return need a comment).
export const decide = (id, action, comment, options = {}) =>
  post(`/documents/${encodeURIComponent(id)}/decision`, { action, comment }, options)

// withdraw(id) -> {document}: the applicant takes back a document still waiting.
export const withdraw = (id, options = {}) => post(`/documents/${encodeURIComponent(id)}/withdraw`, {}, options)

// todos() -> {items: [{id, number, kind, created_at, data, applicant, customer_name, step}]}
export const todos = (options) => get('/todos', options)

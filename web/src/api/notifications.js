// Notifications: to-dos, reminders (the public pool), results of my documents.
import { get, post } from './request'

// list() -> {items: [{id, kind: todo|reminder|result, document_id, customer_id, detail,
// created_at, read_at, document_number, document_kind, document_status, customer_name}],
// unread}: the latest 100.
export const list = (options) => get('/notifications', options)

// unreadCount() -> {unread}
export const unreadCount = (options) => get('/notifications?count_only=1', options)

// markRead(id) marks one notification read; markRead() marks them all. -> null (204)
export const markRead = (id, options) => post('/notifications/read', id ? { id } : {}, options)

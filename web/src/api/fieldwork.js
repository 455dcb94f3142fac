// Field-work records (docs/api.md "Documents visit, deal, payment, daily_report"): one
// customer's visits, deals and payments, and my figures of a day for the daily report.
// Recording them is a document (documents.js).
import { get } from './request'

// activity(customerId) -> {visits: [{id, document_id, captured_at, arrived_at, place,
// met, stage, notes, photo, lat, lng, from_scan, verified, verdict, visitor}],
// deals: [{id, document_id, deal_date, amount, notes, contract}],
// payments: [{id, document_id, pay_date, amount, notes}]}; amounts are text.
export const activity = (customerId, options) =>
  get(`/customers/${encodeURIComponent(customerId)}/activity`, options)

// dailySummary('2026-11-27') -> {summary: {day, new_customers, claims, visits, deals,
// deal_amount, payments, payment_amount, records: [{document_id, number, kind,
// customer_id, customer_name}], report: document id | null}}
export const dailySummary = (day, options) => get(`/daily-summary?day=${encodeURIComponent(day)}`, options)

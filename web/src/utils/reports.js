// What the report pages share about a report answer (REPORTS-API.md): how a cell is
// shown, where a figure drills to, and which filters go into the address.
import { formatAmount } from './money'
import { formatDate, formatDateTime } from './format'

// The filter names of the contract; any of them may sit in a report page's address.
export const FILTER_NAMES = ['from', 'to', 'region', 'type', 'department', 'staff', 'status', 'stage', 'source', 'customer', 'q']

// cellText(column, value) -> the text of one cell: money as ¥1,234.50 (from the text the
// server sent, never through a float), datetimes in the browser's zone, '—' for none.
export function cellText(column, value) {
  if (value === null || value === undefined || value === '') return '—'
  switch (column && column.type) {
    case 'money':
      return formatAmount(value)
    case 'datetime':
      return formatDateTime(value) || String(value)
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? String(value) : formatDate(value) || String(value)
    default:
      return String(value)
  }
}

// plotValue(value) -> the number a chart draws for a cell (money arrives as text).
export function plotValue(value) {
  if (value === null || value === undefined || value === '') return 0
  const n = Number(value)
  return Number.isFinite(n) ? n : 0
}

// drillLocation(report, row, valueKey) -> the route {name, params, query} that row `row`
// and value column `valueKey` drill into: drill.reports[valueKey] or drill.report, with
// {...row._drill, ...drill.by[valueKey]} (a list filter "-" means "not set"), or
// null when the report has no drill-through for it. Query reports drill to the record
// itself through the row's _link instead (see recordLocation).
export function drillLocation(report, row, valueKey) {
  const drill = report && report.drill
  if (!drill || !drill.report || !row || !row._drill) return null
  const by = drill.by || {}
  if (valueKey && Object.keys(by).length && !by[valueKey]) return null
  const query = {}
  for (const [key, value] of Object.entries({ ...row._drill, ...(valueKey ? by[valueKey] : {}) })) {
    if (value !== null && value !== undefined && value !== '') query[key] = String(value)
  }
  // drill.reports: some columns open a list of their own (new customers, payments).
  const target = (valueKey && drill.reports && drill.reports[valueKey]) || drill.report
  return { name: 'report', params: { name: target }, query }
}

// drillKeys(report) -> the value columns a click can drill into (all the chart's values
// when drill.by is empty).
export function drillKeys(report) {
  if (!report || !report.drill) return []
  const by = report.drill.by || {}
  const values = (report.chart && report.chart.values) || []
  return Object.keys(by).length ? values.filter((k) => by[k]) : values
}

// recordLocation(row) -> the customer page or the document page a query report's row
// links to, or null.
export function recordLocation(row) {
  const link = row && row._link
  if (!link || !link.id) return null
  if (link.type === 'customer') return { name: 'customer', params: { id: String(link.id) } }
  if (link.type === 'document') return { name: 'document', params: { id: String(link.id) } }
  return null
}

// filtersFromQuery(query, filters) -> {name: value} of the report's declared filters
// found in a route query (only those: the server refuses filters a report does not have).
export function filtersFromQuery(query, filters) {
  const out = {}
  for (const f of filters || []) {
    const v = query[f.name]
    if (typeof v === 'string' && v !== '') out[f.name] = v
  }
  return out
}

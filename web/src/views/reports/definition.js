// The builder's form <-> a report definition: the shape of a rules/reports/*.lua file
// as JSON (docs/rules.md "Reports"):
//   {name, title: {zh, en}, kind: 'query'|'stat', source, roles, mine,
//    filters: [{name, default}], columns: [{key, field, measure, zh, en}],
//    pivot, sort, chart: {type, category, values, orient, series}, drill}
// A column without `measure` shows a field (query) or groups the rows (stat); one with a
// measure (count, sum, max, min, share) is a figure. The builder edits kind, source,
// title, columns / grouping / figures, filters and chart type; everything else of the
// definition it started from (defaults, labels, pivot, roles, drill) is kept, minus the
// references to columns that are gone (the server would refuse those).
export const NAME_RE = /^c_[a-z0-9_]{1,60}$/
export const MEASURES = ['count', 'sum', 'max', 'min', 'share']
const NO_FIELD = new Set(['count', 'share'])

export function emptyForm() {
  return {
    name: '',
    titleZh: '',
    titleEn: '',
    kind: 'query',
    source: '',
    columns: [], // query: field keys shown
    group: [], // stat: field keys the rows are grouped by
    measures: [], // stat: [{fn, field}] ('' field for count / share)
    filters: [], // filter names
    chart: 'table',
    orient: 'rows'
  }
}

const isFigure = (c) => c && typeof c === 'object' && !!c.measure

export function formFromDefinition(def) {
  const d = def || {}
  const f = emptyForm()
  f.name = d.name || ''
  const title = typeof d.title === 'string' ? { zh: d.title, en: d.title } : d.title || {}
  f.titleZh = title.zh || title.en || ''
  f.titleEn = title.en || ''
  f.kind = d.kind === 'stat' ? 'stat' : 'query'
  f.source = d.source || ''
  const cols = Array.isArray(d.columns) ? d.columns : []
  const plain = cols.filter((c) => !isFigure(c)).map((c) => c.field || c.key).filter(Boolean)
  if (f.kind === 'stat') {
    f.group = plain
    f.measures = cols.filter(isFigure).map((c) => ({ fn: c.measure, field: c.field || '' }))
  } else {
    f.columns = plain
  }
  f.filters = (Array.isArray(d.filters) ? d.filters : []).map((x) => (typeof x === 'string' ? x : x.name)).filter(Boolean)
  const chart = d.chart && typeof d.chart === 'object' ? d.chart : {}
  f.chart = ['line', 'bar', 'pie'].includes(chart.type) && f.kind === 'stat' ? chart.type : 'table'
  f.orient = chart.orient === 'columns' ? 'columns' : 'rows'
  return f
}

// A figure's column key: "count", "amount_sum", ... unique within the report.
function figureKey(m, taken) {
  const base = (NO_FIELD.has(m.fn) && !m.field ? m.fn : `${m.field}_${m.fn}`).slice(0, 36)
  let key = base
  for (let i = 2; taken.has(key); i++) key = `${base}_${i}`
  taken.add(key)
  return key
}

export function definitionFromForm(form, base) {
  const d = JSON.parse(JSON.stringify(base || {}))
  delete d.custom
  delete d.editable
  if (form.name) d.name = form.name
  else delete d.name
  d.title = { zh: form.titleZh.trim(), en: form.titleEn.trim() || form.titleZh.trim() }
  d.kind = form.kind
  const sameSource = d.source === form.source
  d.source = form.source
  const old = sameSource && Array.isArray(d.columns) ? d.columns : []

  // Plain columns keep their key and labels from the definition they came from.
  const taken = new Set()
  const plainCol = (field) => {
    const was = old.find((c) => !isFigure(c) && (c.field || c.key) === field)
    const col = was ? { ...was } : { key: field, field }
    taken.add(col.key)
    return col
  }
  if (form.kind === 'query') {
    d.columns = form.columns.map(plainCol)
    delete d.pivot
  } else {
    const groups = form.group.map(plainCol)
    const figures = form.measures
      .filter((m) => m.fn && (m.field || NO_FIELD.has(m.fn)))
      .map((m) => {
        const was = old.find((c) => isFigure(c) && c.measure === m.fn && (c.field || '') === (m.field || '') && !taken.has(c.key))
        if (was) {
          taken.add(was.key)
          return { ...was }
        }
        const col = { key: figureKey(m, taken), measure: m.fn }
        if (m.field) col.field = m.field
        return col
      })
    d.columns = [...groups, ...figures]
    if (!sameSource) delete d.pivot
  }
  const keys = new Set(d.columns.map((c) => c.key))
  if (d.pivot) for (let i = 1; i <= 12; i++) keys.add(`m${String(i).padStart(2, '0')}`)

  // Filters keep their defaults.
  const oldFilters = new Map((Array.isArray(d.filters) ? d.filters : []).filter((x) => x && typeof x === 'object').map((x) => [x.name, x]))
  d.filters = form.filters.map((n) => oldFilters.get(n) || { name: n })

  if (d.sort && !keys.has(String(d.sort).replace(/^-/, ''))) delete d.sort

  // The chart: category = the first grouping (stat) column, values = the figures.
  if (form.kind === 'stat' && form.chart !== 'table') {
    const was = d.chart && typeof d.chart === 'object' ? d.chart : {}
    const figures = d.columns.filter(isFigure).filter((c) => c.measure !== 'share').map((c) => c.key)
    const wasValues = Array.isArray(was.values) ? was.values.filter((k) => keys.has(k)) : []
    const chart = {
      type: form.chart,
      category: keys.has(was.category) ? was.category : d.columns.find((c) => !isFigure(c))?.key,
      values: wasValues.length ? wasValues : figures
    }
    if (form.chart !== 'pie') chart.orient = form.orient
    if (was.series && keys.has(was.series) && form.chart === 'bar') chart.series = was.series
    if (!chart.category) delete chart.category
    d.chart = chart
  } else {
    delete d.chart
  }

  // Drill-through: only for columns that are still there.
  if (d.drill && typeof d.drill === 'object') {
    for (const part of ['by', 'reports']) {
      if (d.drill[part] && typeof d.drill[part] === 'object') {
        for (const k of Object.keys(d.drill[part])) if (!keys.has(k)) delete d.drill[part][k]
      }
    }
  }
  if (form.kind === 'query') delete d.drill
  return d
}

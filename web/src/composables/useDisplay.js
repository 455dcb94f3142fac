// useDisplay: how codes, ids, dates and amounts are shown, in the current language.
// List codes (region, type, source, stage, status) come from the config store, staff ids
// from the staff store; the caller makes sure those are loaded (useDisplay loads them).
import { useI18n } from 'vue-i18n'
import { pickLabel } from '@/locales'
import { useConfigStore } from '@/stores/config'
import { useStaffStore } from '@/stores/staff'
import { formatDate, formatDateTime, formatMoney } from '@/utils/format'

// The customer fields whose values are list codes, and the list they come from.
export const CUSTOMER_LISTS = {
  region: 'regions',
  source: 'sources',
  stage: 'stages',
  status: 'statuses',
  type: 'types'
}

export function useDisplay() {
  const { t, te, locale } = useI18n()
  const config = useConfigStore()
  const staff = useStaffStore()
  config.load()
  staff.load()

  const EMPTY = '—'
  const blank = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
  const known = (key, fallback) => (te(key) ? t(key) : fallback)

  // listName('regions', 'ec') -> '华东' / 'East China'; an unknown code as itself.
  function listName(list, code) {
    if (blank(code)) return EMPTY
    const item = config.item(list, code)
    return item ? pickLabel(item, locale.value) : String(code)
  }

  // customerField('region', 'ec'): a customer field's value for display.
  function customerField(key, value) {
    if (CUSTOMER_LISTS[key]) return listName(CUSTOMER_LISTS[key], value)
    if (key === 'share_with') return staffNames(value)
    return blank(value) ? EMPTY : String(value)
  }

  function staffNames(ids) {
    if (typeof ids === 'string') {
      try {
        ids = JSON.parse(ids) // the change history keeps id lists as text
      } catch {
        return ids
      }
    }
    if (blank(ids)) return EMPTY
    const list = Array.isArray(ids) ? ids : [ids]
    return list.map((id) => staff.byId(id)?.name || `#${id}`).join('、')
  }

  // fieldValue(field, value): a value of a form field (definition from the server).
  function fieldValue(field, value) {
    if (blank(value)) return EMPTY
    switch (field.type) {
      case 'select': {
        const options = Array.isArray(field.options) ? field.options : []
        const hit = options.find((o) => o.code === value)
        return hit ? pickLabel(hit, locale.value) : String(value)
      }
      case 'tree':
        return listName('types', value)
      case 'staff':
      case 'staff_multi':
        return staffNames(value)
      case 'bool':
        return value ? t('common.yes') : t('common.no')
      case 'customer':
      case 'customer_multi':
        return (Array.isArray(value) ? value : [value]).map((id) => `#${id}`).join('、')
      case 'datetime':
        return formatDateTime(value) || String(value)
      case 'date':
        return String(value) // a calendar day as typed (no time zone to apply)
      case 'money':
        return formatMoney(value, locale.value)
      default:
        return String(value)
    }
  }

  return {
    EMPTY,
    listName,
    customerField,
    staffNames,
    fieldValue,
    date: (iso) => formatDate(iso) || EMPTY,
    dateTime: (iso) => formatDateTime(iso) || EMPTY,
    money: (n) => formatMoney(n, locale.value),
    kindName: (kind) => known(`documents.kinds.${kind}`, kind || EMPTY),
    statusName: (status) => known(`documents.status.${status}`, status || EMPTY),
    // poolReason('no_visit:30') -> '30 天未拜访' / 'no visit for 30 days'
    poolReason(reason) {
      if (blank(reason)) return ''
      const [why, days] = String(reason).split(':')
      const key = `pool.reasons.${why}`
      return te(key) ? t(key, { days }) : String(reason)
    }
  }
}

// The field types of rules/forms.lua that FormRenderer draws with a component of its
// own (beyond the text, number, select, tree, staff, customer and bool it draws itself),
// and the checks those types need before a form is sent. A component gets v-model,
// `field` (the definition), `options` (FormRenderer's fieldOptions[key]) and `disabled`.
// Fields of type "token" (a scanned QR code) are never typed: pages pass them as fixed.
import { isDay } from '@/utils/time'
import { normalizeAmount } from '@/utils/money'
import DateInput from './DateInput.vue'
import FileUpload from './FileUpload.vue'
import MoneyInput from './MoneyInput.vue'

export const FIELD_COMPONENTS = {
  date: DateInput,
  datetime: DateInput,
  money: MoneyInput,
  file: FileUpload
}

// checkField(field, value, t, name) -> '' or the message for a non-blank value.
export function checkField(field, value, t, name) {
  if (field.type === 'money' && normalizeAmount(value) === null) return t('field.money.invalid', { name })
  if (field.type === 'date' && !isDay(value)) return t('field.badDay', { name })
  return ''
}

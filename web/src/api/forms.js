// Form definitions (rules/forms.lua): the fields the web draws and the server checks.
import { get } from './request'

// getForm(kind) -> {form: {kind, zh, en, fields: [{key, type, required, max, min,
// options, zh, en, extra}]}}
export const getForm = (kind, options) => get(`/forms/${encodeURIComponent(kind)}`, options)

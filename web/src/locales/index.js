// The one vue-i18n instance, and how the UI language is chosen, switched and remembered.
// Languages: 'zh-CN' (first) and 'en'. Order of choice at start: the logged-in user's
// setting (applied once /me answers), else localStorage, else the browser's language.
import { createI18n } from 'vue-i18n'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import zhCN from './zh-CN.js'
import en from './en.js'
import fieldZh from './field.zh-CN.js'
import fieldEn from './field.en.js'
import orgZh from './org.zh-CN.js'
import orgEn from './org.en.js'
import importZh from './import.zh-CN.js'
import importEn from './import.en.js'
import reportsZh from './reports.zh-CN.js'
import reportsEn from './reports.en.js'

export const LANGS = ['zh-CN', 'en']
const STORAGE_KEY = 'crm.lang'
const ELEMENT_LOCALES = { 'zh-CN': elZhCn, en: elEn }

// normalizeLang maps any language tag to one we support, or null when it is empty.
export function normalizeLang(tag) {
  if (!tag) return null
  return String(tag).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

function storedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return LANGS.includes(v) ? v : null
  } catch {
    return null // storage disabled (private mode, policy): fall through
  }
}

function startLang() {
  const nav = typeof navigator === 'undefined' ? null : navigator.language
  return storedLang() || normalizeLang(nav) || 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: startLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en }
})
i18n.global.mergeLocaleMessage('zh-CN', fieldZh) // field work (issue 4)
i18n.global.mergeLocaleMessage('en', fieldEn)
i18n.global.mergeLocaleMessage('zh-CN', orgZh) // staff and targets (issue 5)
i18n.global.mergeLocaleMessage('en', orgEn)
i18n.global.mergeLocaleMessage('zh-CN', importZh) // customer import and export (issue 7)
i18n.global.mergeLocaleMessage('en', importEn)
i18n.global.mergeLocaleMessage('zh-CN', reportsZh) // portal and reports (issue 6)
i18n.global.mergeLocaleMessage('en', reportsEn)

// currentLang returns the UI language now in force.
export function currentLang() {
  return i18n.global.locale.value
}

// applyLang switches the UI (texts, Element Plus, <html lang>) and remembers the choice
// in localStorage so the login page opens in it next time. It does not tell the server.
export function applyLang(tag) {
  const lang = normalizeLang(tag) || 'zh-CN'
  i18n.global.locale.value = lang
  document.documentElement.lang = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    /* not persisted: the choice still holds for this page */
  }
  return lang
}

// elementLocale returns Element Plus's locale object for a UI language.
export function elementLocale(lang) {
  return ELEMENT_LOCALES[lang] || elZhCn
}

// pickLabel chooses the label of a server-provided item ({zh, en}) for a language,
// falling back to the other one when a translation is missing.
export function pickLabel(item, lang) {
  if (!item) return ''
  return lang === 'en' ? item.en || item.zh || '' : item.zh || item.en || ''
}

document.documentElement.lang = currentLang()

// The logged-in user and the CSRF token, and everything that starts or ends a session:
// restore at start (/me), login, logout, a session ended by the server, language.
import { defineStore } from 'pinia'
import * as api from '@/api/session'
import { applyLang, currentLang } from '@/locales'
import { useMenuStore } from './menu'
import { useNotificationStore } from './notifications'

// Remembers (across reloads) that this browser had a session, so that a 401 at start-up
// can be told apart: "your session has ended" versus a first visit.
const HAD_SESSION_KEY = 'crm.hadSession'
// Re-check the session on navigation when the server has not been heard from for this
// long (pages without API calls would otherwise not notice an ended session).
const RECHECK_AFTER_MS = 5 * 60 * 1000

let pendingCheck = null

function remember(had) {
  try {
    if (had) localStorage.setItem(HAD_SESSION_KEY, '1')
    else localStorage.removeItem(HAD_SESSION_KEY)
  } catch {
    /* storage disabled: the notice is merely less precise */
  }
}

function hadSession() {
  try {
    return localStorage.getItem(HAD_SESSION_KEY) === '1'
  } catch {
    return false
  }
}

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null, // USER of docs/api.md
    csrfToken: '',
    checked: false, // /me has answered once since the page loaded
    notice: '', // '' | 'sessionEnded' | 'loggedOut' | 'error': shown on the login page
    noticeMessage: '', // the server's or network's message, for notice 'error'
    lastContact: 0, // Date.now() of the last successful API answer
    langChosenLoggedOut: null // a language picked on the login page, kept at login
  }),
  getters: {
    loggedIn: (state) => state.user !== null
  },
  actions: {
    // ensureChecked restores the session once per page load, and re-checks it when the
    // server has been silent for a while. Concurrent callers share one /me call.
    ensureChecked() {
      const stale = this.loggedIn && Date.now() - this.lastContact > RECHECK_AFTER_MS
      if (this.checked && !stale) return Promise.resolve()
      if (!pendingCheck) {
        pendingCheck = this.restore().finally(() => {
          pendingCheck = null
        })
      }
      return pendingCheck
    },

    // restore asks /me who is logged in. 401: nobody, with the "session ended" notice
    // when this browser had a session. Any other failure (server down): at start-up,
    // treated as logged out with the reason on the login page (me() itself is silent);
    // on a later re-check, the session is kept: a passing outage is no logout.
    async restore() {
      try {
        const data = await api.me()
        await this.accept(data, { adoptLang: true })
      } catch (e) {
        if (e.status !== 401 && this.loggedIn) return
        if (e.status !== 401) {
          this.notice = 'error'
          this.noticeMessage = e.message
        } else if (hadSession()) {
          this.notice = 'sessionEnded'
        }
        this.forget()
      } finally {
        this.checked = true
      }
    },

    // login starts a session. A language picked on the login page wins over the
    // user's stored one and is saved to the account; otherwise the stored one applies.
    async login(name, password) {
      const data = await api.login(name, password)
      const picked = this.langChosenLoggedOut
      await this.accept(data, { adoptLang: !picked || picked === data.user.lang })
      if (picked && picked !== data.user.lang) await this.saveLang(picked)
      this.langChosenLoggedOut = null
      this.checked = true
    },

    // logout ends the session on the server (even if it is already gone there).
    async logout() {
      try {
        await api.logout()
      } catch {
        /* a session that is already gone is logged out all the same */
      }
      this.forget()
      this.notice = 'loggedOut'
    },

    // sessionEnded is called when any request answers 401: drop the session locally.
    sessionEnded() {
      if (!this.loggedIn) return
      this.forget()
      this.notice = 'sessionEnded'
    },

    // changeLanguage switches the UI now; logged in, it is also saved to the account.
    async changeLanguage(lang) {
      applyLang(lang)
      if (this.loggedIn) await this.saveLang(lang)
      else this.langChosenLoggedOut = lang
    },

    async saveLang(lang) {
      const data = await api.setLang(lang)
      if (data && data.user) this.user = data.user
    },

    touch() {
      this.lastContact = Date.now()
    },

    async accept(data, { adoptLang }) {
      this.user = data.user
      this.csrfToken = data.csrf_token || ''
      this.notice = ''
      this.touch()
      remember(true)
      if (adoptLang && data.user.lang && data.user.lang !== currentLang()) applyLang(data.user.lang)
      await useMenuStore().load()
    },

    forget() {
      this.user = null
      this.csrfToken = ''
      remember(false)
      useMenuStore().clear()
      useNotificationStore().clear()
    }
  }
})

// The outbox of this phone (utils/outbox.js), as the pages see it: how many visits wait,
// which could never be sent (and why), and the sending itself.
//
// Sending happens at start-up (once a user is logged in), on the browser's 'online'
// event and every RETRY_MS while something waits. Each entry: the photo is uploaded if
// it has not been yet (its token is stored at once, so a retry never uploads it twice),
// then the document is sent with the Idempotency-Key its form got when it opened; the
// server answers a repeat with the first answer, so a visit is recorded once however
// often this runs. An entry goes only after a 2xx, or after a refusal that no retry can
// change (a 4xx other than 401/408/429), which is kept and shown instead.
import { defineStore } from 'pinia'
import { submit } from '@/api/documents'
import { upload } from '@/api/files'
import { listEntries, outboxSupported, putEntry, removeEntry } from '@/utils/outbox'
import { useSessionStore } from './session'

export const RETRY_MS = 30 * 1000

// Worth trying again later: no answer, the server busy or down, the session gone (after
// logging in again), too many requests, a timeout.
const transient = (e) => !e || e.status === 0 || e.status >= 500 || [401, 408, 429].includes(e.status)

let flushing = null

export const useOutboxStore = defineStore('outbox', {
  state: () => ({
    pending: 0,
    failed: [], // [{key, customerName, queuedAt, error: {status, message}}]
    sent: {}, // key -> the server's answer, for entries sent since the page loaded
    sending: false
  }),
  actions: {
    userId() {
      return useSessionStore().user?.id ?? null
    },

    // refresh re-reads the counts from IndexedDB.
    async refresh() {
      const uid = this.userId()
      if (!outboxSupported || uid === null) {
        this.pending = 0
        this.failed = []
        return
      }
      try {
        const all = await listEntries(uid)
        this.pending = all.filter((e) => e.state === 'pending').length
        this.failed = all
          .filter((e) => e.state === 'failed')
          .map(({ key, customerName, queuedAt, error }) => ({ key, customerName, queuedAt, error }))
      } catch {
        /* storage unavailable: nothing can be queued either */
      }
    },

    // add queues one document: {key, kind, data, photo, photoName, photoToken,
    // customerName, userId (default: the user now logged in)}. Rejects when the phone
    // cannot store it (private mode, full disk).
    async add(entry) {
      const uid = entry.userId ?? this.userId()
      if (!outboxSupported || uid === null) throw new Error('outbox unavailable')
      await putEntry({
        photo: null,
        photoName: '',
        photoToken: null,
        customerName: '',
        ...entry,
        userId: uid,
        state: 'pending',
        error: null,
        queuedAt: new Date().toISOString()
      })
      await this.refresh()
    },

    // dismiss forgets an entry the server refused for good, once the person has seen it.
    async dismiss(key) {
      await removeEntry(key).catch(() => {})
      await this.refresh()
    },

    // flush sends what waits; concurrent calls (the online event and a timer, two tabs)
    // share one run, so no entry is ever in flight twice.
    flush() {
      if (flushing) return flushing
      const work = async () => {
        const uid = this.userId()
        if (!outboxSupported || uid === null || (typeof navigator !== 'undefined' && navigator.onLine === false)) return
        this.sending = true
        try {
          const entries = (await listEntries(uid)).filter((e) => e.state === 'pending')
          for (const entry of entries) {
            if (!(await this.sendOne(entry))) break // the network or the session is gone again
          }
        } finally {
          this.sending = false
          await this.refresh()
        }
      }
      const locks = typeof navigator !== 'undefined' && navigator.locks
      flushing = (locks ? locks.request('crm-outbox', work) : work()).catch(() => {}).finally(() => {
        flushing = null
      })
      return flushing
    },

    // sendOne -> true to go on with the next entry, false to stop for now.
    async sendOne(entry) {
      try {
        if (entry.photo && !entry.photoToken) {
          const up = await upload(entry.photo, 'photo', entry.photoName, { silent: true })
          // The body of the document changes once, here, and is stored before it is sent:
          // every later attempt sends exactly the same body under the same key.
          entry.photoToken = up.token
          entry.photo = null
          entry.data = { ...entry.data, photo: up.token }
          await putEntry(entry)
        }
        const answer = await submit(entry.kind, entry.data, { idempotencyKey: entry.key, silent: true })
        this.sent = { ...this.sent, [entry.key]: answer }
        await removeEntry(entry.key)
        return true
      } catch (e) {
        if (transient(e)) return false
        await putEntry({ ...entry, state: 'failed', error: { status: e.status, message: e.message } })
        return true
      }
    }
  }
})

// The unread-notification count shown in the header, refreshed on navigation, every
// minute, and after anything that reads or creates notifications.
import { defineStore } from 'pinia'
import { list, markRead, unreadCount } from '@/api/notifications'

export const REFRESH_MS = 60 * 1000

export const useNotificationStore = defineStore('notifications', {
  state: () => ({
    unread: 0,
    at: 0 // Date.now() of the last answer
  }),
  actions: {
    // refresh asks the server for the count; quiet on failure (the header is no place
    // for an error toast every minute).
    async refresh() {
      try {
        const data = await unreadCount({ silent: true })
        this.unread = Number(data && data.unread) || 0
        this.at = Date.now()
      } catch {
        /* keep the last count */
      }
    },
    // doneWith(documentId): a to-do I have just decided is no longer news; its
    // notification is marked read so the count shows what still waits.
    async doneWith(documentId) {
      try {
        const data = await list({ silent: true })
        const open = (data.items || []).filter((n) => n.kind === 'todo' && n.document_id === documentId && !n.read_at)
        await Promise.all(open.map((n) => markRead(n.id, { silent: true })))
      } catch {
        /* the count is refreshed below all the same */
      }
      await this.refresh()
    },
    clear() {
      this.unread = 0
      this.at = 0
    }
  }
})

// A Jepsen-style ledger client: every POST it sends is written down with its
// Idempotency-Key and what came back; it retries a failed submit with the same
// key, as the web client does. After the run, check() compares the ledger with
// the database: a key acknowledged (2xx) but absent is LOST; a key with more
// than one row is DUP.
import { api } from '../api/lib.mjs'

export class Ledger {
  constructor() {
    this.entries = new Map() // key -> {attempts, statuses, acked, doc}
  }

  // submit sends one document with key, retrying network errors and 5xx
  // (nginx 502/503/504, crmd 503) with backoff, up to `tries` times.
  async submit(session, key, kind, data, tries = 15) {
    const e = { attempts: 0, statuses: [], acked: false, doc: null }
    this.entries.set(key, e)
    for (let i = 0; i < tries; i++) {
      e.attempts++
      let r
      try {
        r = await api('POST', '/api/v1/documents', {
          cookie: session.cookie, csrf: session.csrf,
          headers: { 'idempotency-key': key }, body: { kind, data }, timeout: 10000
        })
      } catch (err) {
        e.statuses.push('net:' + (err.cause?.code || err.name))
        await new Promise((res) => setTimeout(res, 100 * (i + 1)))
        continue
      }
      e.statuses.push(r.status)
      if (r.status >= 200 && r.status < 300) {
        e.acked = true
        e.doc = r.json.document.id
        return e
      }
      if (r.status < 500) return e // a refusal is final
      await new Promise((res) => setTimeout(res, 100 * (i + 1)))
    }
    return e
  }

  // check takes {key: rows in the database} and reports LOST and DUP keys.
  check(rowsByKey) {
    const lost = []
    const dup = []
    let acked = 0
    for (const [key, e] of this.entries) {
      const n = rowsByKey.get(key) || 0
      if (e.acked) acked++
      if (e.acked && n === 0) lost.push(key)
      if (n > 1) dup.push(key)
    }
    return { acked, lost, dup, sent: this.entries.size }
  }
}

// The phone's outbox (issue 4, item 7): visits saved while there was no network, kept in
// IndexedDB (form data, the photo as a Blob, the Idempotency-Key the form got when it
// opened, the capture time and position inside the data) until they can be sent.
// IndexedDB only, no library: one database, one object store keyed by the
// Idempotency-Key, so one visit can never be queued twice.
//
// An entry: {key, userId, kind, data, photo: Blob|null, photoName, photoToken,
// customerName, queuedAt, state: 'pending'|'failed', error: {status, message}|null}.
const DB_NAME = 'crm-outbox'
const STORE = 'documents'
const VERSION = 1

export const outboxSupported = typeof indexedDB !== 'undefined'

let opening = null

function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, VERSION)
      req.onupgradeneeded = () => {
        const db = req.result
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'key' })
      }
      req.onsuccess = () => {
        const db = req.result
        // Another tab upgrading the schema: let it, and reopen next time.
        db.onversionchange = () => {
          db.close()
          opening = null
        }
        resolve(db)
      }
      req.onerror = () => reject(req.error)
      req.onblocked = () => reject(new Error('outbox database blocked'))
    }).catch((e) => {
      opening = null
      throw e
    })
  }
  return opening
}

// run(mode, fn) runs fn(store) in one transaction and resolves with the result of the
// request fn returns (or undefined) once the transaction has committed.
async function run(mode, fn) {
  const db = await openDb()
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode)
    const req = fn(tx.objectStore(STORE))
    tx.oncomplete = () => resolve(req ? req.result : undefined)
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error || new Error('outbox transaction aborted'))
  })
}

// putEntry stores (or replaces) an entry; resolves once it is on disk.
export const putEntry = (entry) => run('readwrite', (s) => s.put(entry))

// getEntry(key) -> the entry or undefined.
export const getEntry = (key) => run('readonly', (s) => s.get(key))

// removeEntry(key) deletes one entry.
export const removeEntry = (key) => run('readwrite', (s) => s.delete(key))

// listEntries(userId) -> the entries of one user, oldest first.
export async function listEntries(userId) {
  const all = (await run('readonly', (s) => s.getAll())) || []
  return all.filter((e) => e.userId === userId).sort((a, b) => String(a.queuedAt).localeCompare(String(b.queuedAt)))
}

// useSubmission: one Idempotency-Key per user action that creates or decides a document.
// The key is kept while the same body is sent again after an unknown outcome (no
// answer, or a 5xx: the server may have stored it), so a repeat answers the first
// result instead of acting twice; it is dropped once the server has answered or the
// body differs. `busy` is true while a request is in flight: the button is disabled
// and a second click does nothing.
import { ref } from 'vue'
import { newIdempotencyKey } from '@/api/request'

export function useSubmission() {
  const busy = ref(false)
  let attempt = null // {key, body}

  // run(body, send) calls send(idempotencyKey) and returns its promise; it resolves to
  // undefined without sending when a submission is already in flight.
  async function run(body, send) {
    if (busy.value) return undefined
    busy.value = true
    const text = JSON.stringify(body)
    if (!attempt || attempt.body !== text) attempt = { key: newIdempotencyKey(), body: text }
    try {
      const answer = await send(attempt.key)
      attempt = null
      return answer
    } catch (e) {
      if (!(e.status === 0 || e.status >= 500)) attempt = null
      throw e
    } finally {
      busy.value = false
    }
  }

  return { busy, run }
}

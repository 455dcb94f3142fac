// useFormDef(kind): the server's definition of a document form, as a ref, shared by the
// pages of one visit for a minute (an admin's change to rules/forms.lua shows soon).
import { ref, watch, isRef } from 'vue'
import { getForm } from '@/api/forms'

const TTL_MS = 60 * 1000
const cache = new Map() // kind -> {at, promise}

// loadFormDef(kind) -> Promise of {kind, zh, en, fields}; rejects with the ApiError.
export function loadFormDef(kind) {
  const hit = cache.get(kind)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.promise
  const promise = getForm(kind).then((data) => data.form)
  promise.catch(() => cache.delete(kind))
  cache.set(kind, { at: Date.now(), promise })
  return promise
}

// useFormDef(kind or ref of kind) -> {form, error}: form is null until loaded.
export function useFormDef(kind) {
  const form = ref(null)
  const error = ref(null)
  watch(
    () => (isRef(kind) ? kind.value : kind),
    async (k) => {
      form.value = null
      error.value = null
      if (!k) return
      try {
        const f = await loadFormDef(k)
        if ((isRef(kind) ? kind.value : kind) === k) form.value = f
      } catch (e) {
        error.value = e
      }
    },
    { immediate: true }
  )
  return { form, error }
}

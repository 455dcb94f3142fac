// useCustomerOf(idRef): the customer a field-work page is about (GET /customers/{id}),
// reloaded when the id changes: {customer, error, loading, reload}.
import { ref, watch } from 'vue'
import { getCustomer } from '@/api/customers'

export function useCustomerOf(idRef) {
  const customer = ref(null)
  const error = ref(null)
  const loading = ref(false)
  let seq = 0

  async function reload() {
    const id = idRef.value
    const mine = ++seq
    error.value = null
    if (!id) {
      customer.value = null
      return
    }
    loading.value = true
    try {
      const data = await getCustomer(id, { silent: true })
      if (mine === seq) customer.value = data.customer
    } catch (e) {
      if (mine === seq) {
        customer.value = null
        error.value = e
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(idRef, reload, { immediate: true })
  return { customer, error, loading, reload }
}

// queryId(route, 'customer') -> a positive integer from the query string, or null.
export function queryId(route, name) {
  const n = Number.parseInt(route.query[name], 10)
  return n > 0 ? n : null
}

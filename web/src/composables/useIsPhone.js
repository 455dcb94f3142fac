// useIsPhone: a ref that is true while the viewport is phone-sized (< 768 px).
import { onBeforeUnmount, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767.98px)'

export function useIsPhone() {
  const query = window.matchMedia(PHONE_QUERY)
  const isPhone = ref(query.matches)
  const update = (e) => {
    isPhone.value = e.matches
  }
  query.addEventListener('change', update)
  onBeforeUnmount(() => query.removeEventListener('change', update))
  return isPhone
}

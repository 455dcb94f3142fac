// usePageTitle keeps document.title as "<page> - <app name>" in the current language.
import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'

export function usePageTitle(pageTitle) {
  const { t } = useI18n()
  watchEffect(() => {
    const page = pageTitle()
    document.title = page ? `${page} - ${t('app.name')}` : t('app.name')
  })
}

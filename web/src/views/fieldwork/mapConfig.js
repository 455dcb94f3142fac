// The map tile server (CUS-MAP) comes from the server's configuration (GET /config "map",
// set by the deployment with CRM_MAP_TILE_URL and CRM_MAP_ATTRIBUTION; docs/deployment.md).
// None by default: then no map and no tile is ever requested, the customer's place is
// shown as coordinates. A tile server on another site is added to the CSP by
// scripts/stack; one served under this site (proxied by nginx) needs nothing more.
import { computed } from 'vue'
import { useConfigStore } from '@/stores/config'

// useMapConfig() -> {tileUrl, attribution} as computed refs ('' when none).
export function useMapConfig() {
  const config = useConfigStore()
  config.load()
  return {
    tileUrl: computed(() => config.map?.tile_url || ''),
    attribution: computed(() => config.map?.attribution || '')
  }
}

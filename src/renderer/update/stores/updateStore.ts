import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { UpdateStatus } from '../../../shared/update'
import { useHost } from '../../host/current'

/**
 * The desktop app's update as main reports it (checking, downloading 42 %,
 * ready, errors). Browsers have no updates: status stays null.
 */
export const useUpdateStore = defineStore('update', () => {
  const status = ref<UpdateStatus | null>(null)
  /** A refused or failed action (e.g. "restart to update" during a lesson). */
  const actionError = ref<string | null>(null)
  let listening = false

  async function load(): Promise<void> {
    const api = useHost().updates
    if (!api) return
    if (!listening) {
      listening = true
      api.onStatus((next) => (status.value = next))
    }
    try {
      status.value = await api.status()
    } catch (error) {
      console.warn('[duet] update status could not be read', error)
    }
  }

  async function act(action: 'check' | 'download' | 'install'): Promise<void> {
    const api = useHost().updates
    if (!api) return
    actionError.value = null
    try {
      if (action === 'install') await api.install()
      else status.value = await api[action]()
    } catch (error) {
      actionError.value = (error instanceof Error ? error.message : String(error)).replace(/^Error invoking remote method '[^']+': (\w+Error: )?/, '')
    }
  }

  return { status, actionError, load, check: () => act('check'), download: () => act('download'), install: () => act('install') }
})

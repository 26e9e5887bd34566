import { defineStore } from 'pinia'
import { ref } from 'vue'
import { EMPTY_POLICY_VIEW, type PolicyView } from '../../../shared/policy/view'
import type { LockableSetting } from '../../../shared/policy/definition'
import { useHost } from '../../host/current'

/**
 * The school's managed policy as the window needs it: which settings are
 * locked, who to ask, what it turns off, which values it ignored and why.
 * Kept current when an admin changes the policy (no restart).
 */
export const usePolicyStore = defineStore('policy', () => {
  const policy = ref<PolicyView>(structuredClone(EMPTY_POLICY_VIEW))
  let listening = false

  async function load(): Promise<void> {
    try {
      policy.value = await useHost().policy.get()
    } catch (error) {
      console.warn('[duet] the school policy could not be read', error)
    }
    if (!listening) {
      listening = true
      useHost().policy.onChange((next) => (policy.value = next))
    }
  }

  const locked = (setting: LockableSetting): boolean => policy.value.lockedSettings.includes(setting)

  return { policy, load, locked }
})

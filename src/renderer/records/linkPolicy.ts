import { watch } from 'vue'
import { usePolicyStore } from '../settings/stores/policyStore'
import { forgetKeptLink, forgetLessonKeysOf } from './forgetKeptLink'
import { keptCodes } from './myCodes'

/**
 * A school's KeepStudentLinks turned off (a computer students share under
 * one account): every personal link kept here, and what was kept with it,
 * goes as if each student had pressed "Remove from this device" — when Duet
 * starts and whenever the policy arrives. Run before the window first shows
 * home, so the next person never sees the last one's link.
 */
export function applyLinkPolicy(storage: Storage = localStorage): void {
  const policy = usePolicyStore()
  watch(
    () => policy.policy.keepStudentLinks,
    (keep) => {
      if (!keep) void forgetEveryKeptLink(storage)
    },
    { immediate: true },
  )
}

/** The links go at once; their lessons' library keys when each server names them (one that does not answer keeps them). */
export async function forgetEveryKeptLink(storage: Storage = localStorage): Promise<void> {
  const kept = keptCodes(storage)
  for (const link of kept) forgetKeptLink(link, [], storage)
  await Promise.all(kept.map((link) => forgetLessonKeysOf(link, storage)))
}

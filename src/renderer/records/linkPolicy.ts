import { watch } from 'vue'
import { usePolicyStore } from '../settings/stores/policyStore'
import { forgetKeysOfRole } from '../recording/webLibraryKeys'
import { forgetKeptLink } from './forgetKeptLink'
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
      if (!keep) forgetEveryKeptLink(storage)
    },
    { immediate: true },
  )
}

/**
 * The links go, and every student's library key with them: on a shared
 * computer the recordings of one student's lessons are not the next one's,
 * and a lesson joined with a one-off invite is in no link's record (the
 * recordings of it would otherwise stay in the library for whoever comes
 * next). Nothing needs a server's answer. A tutor's keys stay.
 */
export function forgetEveryKeptLink(storage: Storage = localStorage): void {
  for (const link of keptCodes(storage)) forgetKeptLink(link, [], storage)
  forgetKeysOfRole('student', storage)
}

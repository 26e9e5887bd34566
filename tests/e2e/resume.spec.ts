import { expect, test } from '@playwright/test'
import { closeAll, expectRemoteVideoPlaying, lessonInProgress, newPerson, studentJoins, tutorAtDeviceCheck } from './lessonSteps'
import { TcpProxy } from './tcpProxy'

test('when the student loses the session server, both are told what is down and it resumes by itself', async ({ browser, baseURL }) => {
  // The student reaches the session server through a proxy the test can cut; their call is peer-to-peer.
  const proxy = new TcpProxy(Number(new URL(baseURL ?? '').port))
  const viaProxy = await proxy.start()
  const { tutor, student, close } = await lessonInProgress(browser, { tutorName: 'Dr Okafor', studentName: 'Lin', studentVia: viaProxy })
  await expectRemoteVideoPlaying(tutor.page)

  // The student's way to the server goes away, the call does not: neither is told the other is gone.
  proxy.drop()
  await expect(student.page.getByTestId('room-banner')).toContainText('Lost the session server. Your call with Dr Okafor goes on')
  await expect(tutor.page.getByTestId('room-banner')).toContainText('Lin lost the session server. Your call goes on.')
  await expectRemoteVideoPlaying(tutor.page)

  // It comes back: nobody presses anything, video flows both ways again.
  proxy.restore()
  await expect(tutor.page.getByTestId('room')).toHaveAttribute('data-peer-presence', 'present', { timeout: 30_000 })
  await expectRemoteVideoPlaying(tutor.page)
  await expectRemoteVideoPlaying(student.page)
  await expect(tutor.page.getByTestId('room-banner')).toHaveCount(0)

  await close()
  await proxy.stop()
})

// A reload makes a new connection on one side while the other's may still look alive: the other
// side's engine keeps it (student) or restarts ICE on it (tutor) until the new SDP session shows up.
for (const reloads of ['student', 'tutor'] as const) {
  test(`a reloaded ${reloads} window rejoins the same lesson with the same seat, video both ways`, async ({ browser }) => {
    const lesson = await lessonInProgress(browser, { tutorName: 'Dr Okafor', studentName: 'Lin' })
    const [reloaded, other, otherName] = reloads === 'student' ? [lesson.student, lesson.tutor, 'Dr Okafor'] : [lesson.tutor, lesson.student, 'Lin']
    await expectRemoteVideoPlaying(reloaded.page)

    await reloaded.page.reload()
    await expect(reloaded.page.getByTestId('room')).toBeVisible()
    await expect(reloaded.page.getByTestId('peer-name')).toHaveText(otherName)
    await expectRemoteVideoPlaying(reloaded.page)
    await expectRemoteVideoPlaying(other.page)
    await expect(other.page.getByTestId('room-banner')).toHaveCount(0)

    await lesson.close()
  })
}

test('a student who arrives before the tutor waits, then the lesson starts when the tutor joins', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  // The tutor creates the lesson but is still on the device check.
  const invite = await tutorAtDeviceCheck(tutor.page, 'Mr Haddad')
  await studentJoins(student.page, invite.url, 'Noor')
  await expect(student.page.getByTestId('room-banner')).toContainText('Waiting for your tutor')
  await expect(student.page.getByTestId('lesson-timer')).toHaveText('Not started')

  await tutor.page.getByTestId('join-now').click()
  await expectRemoteVideoPlaying(student.page)
  await expectRemoteVideoPlaying(tutor.page)
  await expect(student.page.getByTestId('lesson-timer')).toHaveText(/^\d+:\d\d$/)

  await closeAll(tutor, student)
})

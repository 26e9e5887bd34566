import { expect, test } from '@playwright/test'
import { expectRemoteVideoPlaying, newPerson, studentJoins, through, tutorStartsLesson } from './lessonSteps'
import { TcpProxy } from './tcpProxy'

test('when the student loses the session server, both are told what is down and it resumes by itself', async ({ browser, baseURL }) => {
  // The student reaches the session server through a proxy the test can cut; their call is peer-to-peer.
  const proxy = new TcpProxy(Number(new URL(baseURL ?? '').port))
  const viaProxy = await proxy.start()
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  const invite = await tutorStartsLesson(tutor.page, 'Dr Okafor')
  await studentJoins(student.page, through(viaProxy, invite.url), 'Lin')
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

  for (const person of [tutor, student]) await person.context.close()
  await proxy.stop()
})

test('a reloaded student window rejoins the same lesson with the same seat', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  const invite = await tutorStartsLesson(tutor.page, 'Dr Okafor')
  await studentJoins(student.page, invite.url, 'Lin')
  await expectRemoteVideoPlaying(student.page)

  await student.page.reload()
  await expect(student.page.getByTestId('room')).toBeVisible()
  await expect(student.page.getByTestId('peer-name')).toHaveText('Dr Okafor')
  await expectRemoteVideoPlaying(student.page)
  await expectRemoteVideoPlaying(tutor.page)

  for (const person of [tutor, student]) await person.context.close()
})

test('a reloaded tutor window comes back to the same call while the student’s connection still looks alive', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  const invite = await tutorStartsLesson(tutor.page, 'Dr Okafor')
  await studentJoins(student.page, invite.url, 'Lin')
  await expectRemoteVideoPlaying(student.page)

  // The student's side keeps its connection when the tutor reappears; the tutor's fresh offer (a new session) replaces it.
  await tutor.page.reload()
  await expect(tutor.page.getByTestId('room')).toBeVisible()
  await expect(tutor.page.getByTestId('peer-name')).toHaveText('Lin')
  await expectRemoteVideoPlaying(tutor.page)
  await expectRemoteVideoPlaying(student.page)
  await expect(student.page.getByTestId('room-banner')).toHaveCount(0)

  for (const person of [tutor, student]) await person.context.close()
})

test('a student who arrives before the tutor waits, then the lesson starts when the tutor joins', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  // The tutor creates the lesson but is still on the device check.
  await tutor.page.goto('/')
  await tutor.page.getByTestId('tutor-name').fill('Mr Haddad')
  await tutor.page.getByTestId('start-lesson').click()
  const url = (await tutor.page.getByTestId('invite-card').getAttribute('data-invite-url')) ?? ''
  await studentJoins(student.page, url, 'Noor')
  await expect(student.page.getByTestId('room-banner')).toContainText('Waiting for your tutor')
  await expect(student.page.getByTestId('lesson-timer')).toHaveText('Not started')

  await tutor.page.getByTestId('join-now').click()
  await expectRemoteVideoPlaying(student.page)
  await expectRemoteVideoPlaying(tutor.page)
  await expect(student.page.getByTestId('lesson-timer')).toHaveText(/^\d+:\d\d$/)

  for (const person of [tutor, student]) await person.context.close()
})

import { expect, test } from '@playwright/test'
import { expectRemoteAudioLive, expectRemoteVideoPlaying, newPerson, studentJoins, tutorStartsLesson } from './lessonSteps'

test('tutor and student hold a lesson: video and audio both ways, third person refused, rejoin, end', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  const third = await newPerson(browser)

  const invite = await tutorStartsLesson(tutor.page, 'Ms Rivera')
  await expect(tutor.page.getByTestId('room-banner')).toContainText('Waiting for your student')

  await studentJoins(student.page, invite.url, 'Sam')
  await expect(tutor.page.getByTestId('peer-name')).toHaveText('Sam')
  await expect(student.page.getByTestId('peer-name')).toHaveText('Ms Rivera')

  await expectRemoteVideoPlaying(tutor.page)
  await expectRemoteVideoPlaying(student.page)
  await expectRemoteAudioLive(tutor.page)
  await expectRemoteAudioLive(student.page)
  await expect(tutor.page.getByTestId('lesson-timer')).toHaveText(/^\d+:\d\d$/)

  // A third person with the same invite is refused with a clear message.
  await third.page.goto(invite.url)
  await third.page.getByTestId('student-name').fill('Eve')
  await third.page.getByTestId('join-lesson').click()
  await expect(third.page.getByTestId('join-error')).toContainText('already has a tutor and a student')
  await expect(third.page.getByTestId('join-now')).toHaveCount(0)

  // The student leaves: the tutor is told; the student rejoins and video resumes both ways.
  await student.page.getByTestId('leave').click()
  await expect(student.page.getByTestId('summary')).toHaveAttribute('data-outcome', 'left')
  await expect(tutor.page.getByTestId('room-banner')).toContainText('Sam left the lesson')
  await studentJoins(student.page, invite.url, 'Sam')
  await expectRemoteVideoPlaying(student.page)
  await expectRemoteVideoPlaying(tutor.page)

  // The tutor ends the lesson: both land on the summary with who attended.
  await tutor.page.getByTestId('end-lesson').click()
  await tutor.page.getByTestId('end-confirm-yes').click()
  for (const page of [tutor.page, student.page]) {
    const summary = page.getByTestId('summary')
    await expect(summary).toHaveAttribute('data-outcome', 'ended')
    await expect(page.getByTestId('summary-attendance')).toContainText('Ms Rivera')
    await expect(page.getByTestId('summary-attendance')).toContainText('Sam')
    await expect(page.getByTestId('summary-duration')).toHaveText(/^\d+:\d\d$/)
  }

  // The ended lesson cannot be joined again.
  await third.page.goto(invite.url)
  await expect(third.page.getByTestId('join-error')).toContainText('ended')

  for (const person of [tutor, student, third]) await person.context.close()
})

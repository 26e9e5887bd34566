import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { jsPDF } from 'jspdf'
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'
import { bothOnBoard, drawPath, menuItem } from './boardSteps'
import { lessonInProgress } from './lessonSteps'

/** Course material: a two-page worksheet (A4 portrait, then landscape) with something on each page. */
function worksheet(): Buffer {
  const pdf = new jsPDF({ unit: 'pt', format: 'a4' })
  pdf.setFontSize(28)
  pdf.text('Worksheet 3: quadratic equations', 50, 80)
  pdf.setFontSize(18)
  pdf.text('1. Solve x^2 - 5x + 6 = 0', 50, 160)
  pdf.rect(50, 200, 495, 200)
  pdf.addPage('a4', 'landscape')
  pdf.setFontSize(28)
  pdf.text('Page 2: the graph of y = x^2 - 5x + 6', 50, 80)
  pdf.line(80, 500, 780, 500)
  pdf.line(120, 120, 120, 540)
  return Buffer.from(pdf.output('arraybuffer'))
}

/** A small PNG: the board page of a 1×1 picture. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64')

async function open(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('board-file').setInputFiles({ name, mimeType, buffer })
}

async function download(page: Page, item: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), menuItem(page, item)])
  const path = await file.path()
  return readFileSync(path)
}

test('course material: PDF and image pages both sides see, bad files refused, PNG and PDF export', async ({ browser }) => {
  test.setTimeout(240_000)
  const { tutor, student, close } = await lessonInProgress(browser)
  const { tutorBoard, studentBoard } = await bothOnBoard({ tutor, student })

  // A PDF becomes two pages after the current one; the student sees them with their backgrounds.
  await open(tutor.page, 'worksheet.pdf', 'application/pdf', worksheet())
  await expect(tutorBoard).toHaveAttribute('data-page-count', '3')
  await expect(tutorBoard).toHaveAttribute('data-page-index', '1')
  await expect(studentBoard).toHaveAttribute('data-page-count', '3')
  await drawPath(tutor.page, [[0.3, 0.35], [0.4, 0.4], [0.5, 0.38]])
  await student.page.getByTestId('page-thumb-2').getByRole('button').first().click()
  await expect(studentBoard).toHaveAttribute('data-stroke-count', '1')
  // The student annotates the PDF page too (a highlighter under the tutor's ink).
  await student.page.keyboard.press('h')
  await drawPath(student.page, [[0.25, 0.25], [0.6, 0.25]])
  await expect(tutorBoard).toHaveAttribute('data-stroke-count', '2')

  // An image becomes one page.
  await open(student.page, 'photo.png', 'image/png', PNG)
  await expect(tutorBoard).toHaveAttribute('data-page-count', '4')

  // Files that cannot be used get a clear message and change nothing.
  await open(tutor.page, 'broken.pdf', 'application/pdf', worksheet().subarray(0, 300))
  await expect(tutor.page.getByTestId('board-notice')).toHaveAttribute('data-code', 'unreadable_pdf')
  await expect(tutor.page.getByTestId('board-notice')).toContainText('cannot be read')
  await open(tutor.page, 'notes.txt', 'text/plain', Buffer.from('just some notes'))
  await expect(tutor.page.getByTestId('board-notice')).toHaveAttribute('data-code', 'unsupported')
  await open(tutor.page, 'fake.png', 'image/png', Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(64)]))
  await expect(tutor.page.getByTestId('board-notice')).toHaveAttribute('data-code', 'unreadable_image')
  await expect(tutorBoard).toHaveAttribute('data-page-count', '4')
  await expect(studentBoard).toHaveAttribute('data-page-count', '4')

  await tutor.page.getByTestId('page-thumb-2').getByRole('button').first().click()
  await tutor.page.waitForTimeout(1500) // the rendered PDF page and thumbnails settle
  await tutor.page.screenshot({ path: 'test-results/board-shots/material-tutor.png' })
  await student.page.screenshot({ path: 'test-results/board-shots/material-student.png' })

  // Export: this page as PNG, the whole board as one PDF with a page per board page.
  const png = await download(tutor.page, 'export-png')
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
  const pdfBytes = await download(tutor.page, 'export-pdf')
  const exported = await pdfjs.getDocument({ data: new Uint8Array(pdfBytes) }).promise
  expect(exported.numPages).toBe(4)
  // The second page keeps the worksheet's portrait shape.
  const v = (await exported.getPage(2)).getViewport({ scale: 1 })
  expect(v.height / v.width).toBeCloseTo(842 / 595, 1)

  await close()
})

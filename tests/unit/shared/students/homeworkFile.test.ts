import { describe, expect, it } from 'vitest'
import { HomeworkFileNameSchema, MAX_HOMEWORK_FILE_BYTES, homeworkFileName, homeworkFileProblem } from '../../../../src/shared/students/homework'

describe('homeworkFileProblem: what the app says before a file is sent', () => {
  it('takes PDFs and photos up to the limit', () => {
    expect(homeworkFileProblem({ name: 'answers.pdf', size: 1000, type: 'application/pdf' })).toBeNull()
    expect(homeworkFileProblem({ name: 'IMG_1.jpg', size: MAX_HOMEWORK_FILE_BYTES, type: 'image/jpeg' })).toBeNull()
    expect(homeworkFileProblem({ name: 'page.webp', size: 5, type: 'image/webp' })).toBeNull()
  })

  it('refuses a file one byte over the limit, and an empty one', () => {
    expect(homeworkFileProblem({ name: 'scan.pdf', size: MAX_HOMEWORK_FILE_BYTES + 1, type: 'application/pdf' })).toBe('size')
    expect(homeworkFileProblem({ name: 'scan.pdf', size: 0, type: 'application/pdf' })).toBe('empty')
  })

  it('refuses other types, judging by the extension only when the browser gives no type', () => {
    expect(homeworkFileProblem({ name: 'essay.docx', size: 10, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe('type')
    expect(homeworkFileProblem({ name: 'photo.heic', size: 10, type: 'image/heic' })).toBe('type')
    expect(homeworkFileProblem({ name: 'fake.pdf', size: 10, type: 'text/plain' })).toBe('type')
    expect(homeworkFileProblem({ name: 'Scan.PDF', size: 10, type: '' })).toBeNull()
    expect(homeworkFileProblem({ name: 'notes.txt', size: 10, type: '' })).toBe('type')
  })
})

describe('homeworkFileName: a picked name the server accepts', () => {
  it('replaces slashes and control characters and keeps a short name as it is', () => {
    expect(homeworkFileName('Week 3 答案.pdf')).toBe('Week 3 答案.pdf')
    expect(homeworkFileName('a/b\\c\u0007.png')).toBe('a_b_c_.png')
    expect(homeworkFileName('   ')).toBe('file')
  })

  it('shortens a long name to 120 characters with its extension', () => {
    const name = homeworkFileName(`${'x'.repeat(300)}.jpeg`)
    expect(name).toHaveLength(120)
    expect(name.endsWith('.jpeg')).toBe(true)
    expect(HomeworkFileNameSchema.safeParse(name).success).toBe(true)
  })
})

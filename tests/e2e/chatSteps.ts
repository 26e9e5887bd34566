import type { Page } from '@playwright/test'

/** A 64x48 PNG of two colour blocks, made in the page (a real picture, not a stub). */
export async function pictureFile(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = 64
    canvas.height = 48
    const g = canvas.getContext('2d')!
    g.fillStyle = '#1971c2'
    g.fillRect(0, 0, 32, 48)
    g.fillStyle = '#f08c00'
    g.fillRect(32, 0, 32, 48)
    return canvas.toDataURL('image/png').split(',')[1]!
  })
  return { name: '作业-题3.png', mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') }
}

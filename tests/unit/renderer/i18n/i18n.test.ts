import { describe, expect, it } from 'vitest'
import { detectLocale } from '../../../../src/renderer/i18n'
import en from '../../../../src/renderer/i18n/en'
import zhCN from '../../../../src/renderer/i18n/zh-CN'
import { ERROR_CODES } from '../../../../src/shared/errors'

/** Every leaf of a message tree as [dotted key, value]. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]]
  return Object.entries(tree).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key))
}

/** The names a message fills in, each once (an English plural repeats them in each of its forms). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort()

describe('detectLocale', () => {
  it.each([
    [['zh-CN'], 'zh-CN'],
    [['zh-TW', 'en-US'], 'zh-CN'],
    [['ZH'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['en'], 'en'],
    [['fr-FR', 'de'], 'en'],
    [['fr-FR', 'zh-CN'], 'zh-CN'],
    [['de', 'EN-us'], 'en'],
    [[], 'en'],
  ])('%j -> %s', (languages, expected) => {
    expect(detectLocale(languages)).toBe(expected)
  })
})

describe('message catalogues', () => {
  const enLeaves = leaves(en)
  const zhLeaves = leaves(zhCN)

  it('have exactly the same keys', () => {
    expect(enLeaves.length).toBeGreaterThan(50)
    expect(zhLeaves.map(([k]) => k).sort()).toEqual(enLeaves.map(([k]) => k).sort())
  })

  it('have only non-empty strings', () => {
    for (const [key, value] of [...enLeaves, ...zhLeaves]) {
      expect(typeof value, key).toBe('string')
      expect((value as string).trim(), key).not.toBe('')
    }
  })

  it('use the same placeholders in both languages', () => {
    const zh = new Map(zhLeaves)
    for (const [key, value] of enLeaves) expect(placeholders(String(zh.get(key))), key).toEqual(placeholders(String(value)))
  })

  it('translate every server error code, plus the client-side ones', () => {
    for (const messages of [en, zhCN]) {
      const errors = messages.errors as Record<string, string>
      for (const code of [...ERROR_CODES, 'network', 'unexpected', 'replaced']) {
        expect(errors[code], code).toEqual(expect.any(String))
        expect(errors[code]?.length, code).toBeGreaterThan(0)
      }
    }
  })

  it('are really translated (Chinese text in zh-CN)', () => {
    expect(zhCN.errors.invite_not_found).toMatch(/\p{Script=Han}/u)
    expect(zhCN.home.startButton).not.toBe(en.home.startButton)
  })
})

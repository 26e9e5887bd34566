import { z } from 'zod'
import type { Localized } from './definition'

/** The value types several policies share (the list itself is schema.ts). */

export const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2048)
  .transform((url) => url.replace(/\/+$/, ''))

/** "18:00-07:00": 24-hour local times; a window may run past midnight. */
const INSTALL_WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/
export const InstallWindowSchema = z
  .string()
  .trim()
  .regex(INSTALL_WINDOW_PATTERN, 'must look like 18:00-07:00 (24-hour local times)')
  .refine((text) => text.slice(0, 5) !== text.slice(6), 'start and end must differ')

/** An on/off policy with what its default means. */
export function bool(defaultText: Localized) {
  return { kind: 'boolean' as const, value: z.boolean(), defaultText }
}

export const ON: Localized = { en: 'on', 'zh-CN': '开启' }
export const OFF: Localized = { en: 'off', 'zh-CN': '关闭' }

import { XMLBuilder } from 'fast-xml-parser'
import { build as buildPlist, type PlistValue } from 'plist'
import { DESKTOP_AI_FIELDS } from '../../src/shared/ai/desktopSettings'
import { LEGACY_AI_KEYS } from '../../src/shared/policy/ai'
import { POLICY_CATEGORY_TITLES, RECOMMENDED_KEY, type Localized, type PolicyCategory, type PolicyDefinition } from '../../src/shared/policy/definition'
import { POLICY, POLICY_NAMES, type PolicyName } from '../../src/shared/policy/schema'

/**
 * Admin templates rendered from the policy schema (src/shared/policy/schema.ts),
 * the way VS Code's build/lib/policies renders its own: Group Policy
 * ADMX + ADML (en-US, zh-CN), a macOS configuration profile, an example
 * policy.json, and the admin guide's table of every policy.
 * `npm run policy:templates` writes them under resources/policy/; a test
 * renders them again and fails if the committed files differ.
 */

export type TemplateLocale = 'en' | 'zh-CN'

/** Folder names Group Policy expects for each ADML. */
export const ADML_FOLDERS: Record<TemplateLocale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' }

export const REGISTRY_KEY = 'Software\\Policies\\Duet\\Duet'
const NAMESPACE = 'Duet.Policies.Duet'
const GP_XMLNS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions'
/** Fixed so that rendering twice gives the same file (the profile's identity for MDM tools). */
const PROFILE_UUID = '6B0C3E9A-4F2D-4B8E-9C71-2D5A0F3E8B14'
const PAYLOAD_UUID = 'C3A1D7E2-58B4-4C6F-A0E9-7B2F1D4C9E36'

const CATEGORIES = Object.keys(POLICY_CATEGORY_TITLES) as PolicyCategory[]
const definitions = (): [PolicyName, PolicyDefinition][] => POLICY_NAMES.map((name) => [name, POLICY[name]])
const recommendable = (): [PolicyName, PolicyDefinition][] => definitions().filter(([, d]) => d.recommendable)

/** The desktop AI settings field a policy sets (and locks there), if any. */
function aiField(name: PolicyName): string | null {
  const field = Object.entries(LEGACY_AI_KEYS).find(([, policy]) => policy === name)?.[0]
  return field && (DESKTOP_AI_FIELDS as readonly string[]).includes(field) ? field : null
}

const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true, suppressBooleanAttributes: false })

function xmlDocument(root: Record<string, unknown>): string {
  return xml.build({ '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' }, ...root })
}

/** "0.1.0" → "0_1" (ADMX names allow no dots). */
function supportedId(version: string): string {
  return `SUPPORTED_Duet_${version.split('.').slice(0, 2).join('_')}`
}

const APPLIES: Record<PolicyDefinition['applies'], Localized> = {
  live: { en: 'A change applies at once, without restarting Duet.', 'zh-CN': '更改立即生效，无需重启 Duet。' },
  'server-idle': {
    en: "A change applies to the session server Duet hosts the next time no lesson is running on it.",
    'zh-CN': '更改在 Duet 运行的课堂服务器下一次没有课堂时生效。',
  },
  'app-restart': { en: 'A change applies the next time Duet starts.', 'zh-CN': '更改在下次启动 Duet 时生效。' },
}

const LABELS = {
  defaultIs: { en: 'Not set', 'zh-CN': '未设置时' },
  locks: { en: 'Users cannot change this setting while the policy sets it.', 'zh-CN': '设置此策略后，用户无法更改该设置。' },
  recommended: {
    en: 'Recommended: the starting value; users may change it in Settings.',
    'zh-CN': '推荐值：作为初始值，用户可以在设置中更改。',
  },
} satisfies Record<string, Localized>

/** The explain text Group Policy Editor shows beside a policy. */
function explain(name: PolicyName, definition: PolicyDefinition, locale: TemplateLocale, recommended: boolean): string {
  const notSet = locale === 'en' ? `${LABELS.defaultIs.en}: ${definition.defaultText.en}.` : `${LABELS.defaultIs['zh-CN']}：${definition.defaultText['zh-CN']}。`
  const lines = [definition.description[locale], '', notSet]
  if (definition.options) lines.push('', ...definition.options.map((o) => `${o.value}: ${o.label[locale]}`))
  if (recommended) lines.push('', LABELS.recommended[locale])
  else if (definition.setting || aiField(name)) lines.push('', LABELS.locks[locale])
  lines.push('', APPLIES[definition.applies][locale], '', `${REGISTRY_KEY}${recommended ? `\\${RECOMMENDED_KEY}` : ''}\\${name}`)
  return lines.join('\n')
}

function admxPolicy(name: PolicyName, definition: PolicyDefinition, version: string, recommended: boolean): Record<string, unknown> {
  const id = recommended ? `${name}_Recommended` : name
  const base: Record<string, unknown> = {
    '@_name': id,
    '@_class': 'Both',
    '@_displayName': `$(string.${name})`,
    '@_explainText': `$(string.${id}_Explain)`,
    '@_key': recommended ? `${REGISTRY_KEY}\\${RECOMMENDED_KEY}` : REGISTRY_KEY,
    parentCategory: { '@_ref': `${recommended ? 'DuetRecommended' : 'Duet'}_${definition.category}` },
    supportedOn: { '@_ref': supportedId(version) },
  }
  if (definition.kind === 'boolean') {
    // Enabled = 1, Disabled = 0 (REG_DWORD), as Chrome's templates do; no extra box to tick.
    return {
      ...base,
      '@_valueName': name,
      enabledValue: { decimal: { '@_value': '1' } },
      disabledValue: { decimal: { '@_value': '0' } },
    }
  }
  const element = (() => {
    switch (definition.kind) {
      case 'integer':
        return { decimal: { '@_id': name, '@_valueName': name, '@_minValue': String(definition.min ?? 0), '@_maxValue': String(definition.max ?? 2_147_483_647) } }
      case 'enum':
        return {
          enum: {
            '@_id': name,
            '@_valueName': name,
            item: (definition.options ?? []).map((o) => ({ '@_displayName': `$(string.${name}_${o.value.replace(/[^A-Za-z0-9]/g, '_')})`, value: { string: o.value } })),
          },
        }
      default:
        // RecordingFolder may name %USERNAME% and friends: REG_EXPAND_SZ, which Duet expands.
        return { text: { '@_id': name, '@_valueName': name, '@_maxLength': '4096', ...(name === 'RecordingFolder' ? { '@_expandable': 'true' } : {}) } }
    }
  })()
  return { ...base, '@_presentation': `$(presentation.${name})`, elements: element }
}

/** Duet.admx: every policy, enforced under "Duet", and the recommendable ones again under "Duet – recommended". */
export function renderAdmx(version: string): string {
  const categories = [
    { '@_name': 'Duet', '@_displayName': '$(string.Duet)' },
    ...CATEGORIES.map((c) => ({ '@_name': `Duet_${c}`, '@_displayName': `$(string.Category_${c})`, parentCategory: { '@_ref': 'Duet' } })),
    { '@_name': 'DuetRecommended', '@_displayName': '$(string.DuetRecommended)' },
    ...CATEGORIES.filter((c) => recommendable().some(([, d]) => d.category === c)).map((c) => ({
      '@_name': `DuetRecommended_${c}`,
      '@_displayName': `$(string.Category_${c})`,
      parentCategory: { '@_ref': 'DuetRecommended' },
    })),
  ]
  return xmlDocument({
    policyDefinitions: {
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_revision': '1.0',
      '@_schemaVersion': '1.0',
      '@_xmlns': GP_XMLNS,
      policyNamespaces: {
        target: { '@_prefix': 'duet', '@_namespace': NAMESPACE },
        using: { '@_prefix': 'windows', '@_namespace': 'Microsoft.Policies.Windows' },
      },
      resources: { '@_minRequiredRevision': '1.0' },
      supportedOn: { definitions: { definition: { '@_name': supportedId(version), '@_displayName': `$(string.${supportedId(version)})` } } },
      categories: { category: categories },
      policies: {
        policy: [
          ...definitions().map(([name, d]) => admxPolicy(name, d, version, false)),
          ...recommendable().map(([name, d]) => admxPolicy(name, d, version, true)),
        ],
      },
    },
  })
}

/** Duet.adml for one language: the strings and input boxes the ADMX refers to. */
export function renderAdml(version: string, locale: TemplateLocale): string {
  const strings: { '@_id': string; '#text': string }[] = [
    { '@_id': 'Duet', '#text': 'Duet' },
    { '@_id': 'DuetRecommended', '#text': locale === 'en' ? 'Duet - recommended (users can change)' : 'Duet - 推荐值（用户可更改）' },
    { '@_id': supportedId(version), '#text': locale === 'en' ? `Duet ${version} or later` : `Duet ${version} 或更高版本` },
    ...CATEGORIES.map((c) => ({ '@_id': `Category_${c}`, '#text': POLICY_CATEGORY_TITLES[c][locale] })),
  ]
  for (const [name, d] of definitions()) {
    strings.push({ '@_id': name, '#text': d.title[locale] }, { '@_id': `${name}_Explain`, '#text': explain(name, d, locale, false) })
    for (const o of d.options ?? []) strings.push({ '@_id': `${name}_${o.value.replace(/[^A-Za-z0-9]/g, '_')}`, '#text': o.label[locale] })
  }
  for (const [name, d] of recommendable()) strings.push({ '@_id': `${name}_Recommended_Explain`, '#text': explain(name, d, locale, true) })
  const presentations = definitions()
    .filter(([, d]) => d.kind !== 'boolean')
    .map(([name, d]) => {
      const label = d.title[locale]
      if (d.kind === 'integer') {
        const fallback = /^\d+$/.test(d.defaultText.en) ? { '@_defaultValue': d.defaultText.en } : {}
        return { '@_id': name, decimalTextBox: { '@_refId': name, ...fallback, '#text': label } }
      }
      if (d.kind === 'enum') return { '@_id': name, dropdownList: { '@_refId': name, '@_noSort': 'true', '#text': label } }
      return { '@_id': name, textBox: { '@_refId': name, label } }
    })
  return xmlDocument({
    policyDefinitionResources: {
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_revision': '1.0',
      '@_schemaVersion': '1.0',
      '@_xmlns': GP_XMLNS,
      displayName: 'Duet',
      description: locale === 'en' ? 'Settings a school manages for Duet' : '学校为 Duet 管理的设置',
      resources: { stringTable: { string: strings }, presentationTable: { presentation: presentations } },
    },
  })
}

/** Every policy with its example value; the recommendable ones once more under Recommended. */
export function examplePolicy(): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, d] of definitions()) out[name] = d.example
  out[RECOMMENDED_KEY] = Object.fromEntries(recommendable().map(([name, d]) => [name, d.example]))
  return out
}

/** policy.json for /etc/duet (Linux) or the older per-platform paths. */
export function renderPolicyJson(): string {
  return `${JSON.stringify(examplePolicy(), null, 2)}\n`
}

/**
 * A configuration profile (MDM or double-click install) with a custom
 * settings payload for the app's bundle id: macOS writes it to
 * /Library/Managed Preferences/com.duet.app.plist, where Duet reads it.
 */
export function renderMobileconfig(bundleId: string): string {
  const payload: Record<string, PlistValue> = {
    PayloadType: bundleId,
    PayloadVersion: 1,
    PayloadIdentifier: `${bundleId}.policy`,
    PayloadUUID: PAYLOAD_UUID,
    PayloadDisplayName: 'Duet',
    PayloadDescription: 'Duet settings managed by your school. Remove the keys you do not want to manage.',
    ...(examplePolicy() as Record<string, PlistValue>),
  }
  return `${buildPlist({
    PayloadContent: [payload],
    PayloadDisplayName: 'Duet (school settings)',
    PayloadDescription: 'Pins Duet to the school’s session server, AI model, recording rules and updates. See docs/admin-guide.md.',
    PayloadIdentifier: `${bundleId}.profile`,
    PayloadOrganization: 'Your school',
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: PROFILE_UUID,
    PayloadVersion: 1,
  })}\n`
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** The admin guide's table: every policy, its type, default, what it locks, when it applies, in both languages. */
export function renderPolicyTable(): string {
  const kind = (d: PolicyDefinition): string => (d.kind === 'enum' ? (d.options ?? []).map((o) => `\`${o.value}\``).join(' / ') : d.kind === 'json' ? 'JSON text' : d.kind)
  const rows = definitions().map(([name, d]) => {
    const field = aiField(name)
    const locks = d.setting ? `Settings: ${d.setting}${d.recommendable ? ' (or recommends it)' : ''}` : field ? `AI settings: ${field}` : '-'
    const applies = { live: 'at once', 'server-idle': 'hosted server, between lessons', 'app-restart': 'next start' }[d.applies]
    return `| \`${name}\` | ${kind(d)} | ${cell(d.defaultText.en)} | ${locks} | ${applies} | ${cell(d.description.en)}<br>${cell(d.description['zh-CN'])} |`
  })
  return ['| Policy | Type | Default | Locks | Applies | What it does |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}

export const TABLE_START = '<!-- policy-table:start (generated by npm run policy:templates) -->'
export const TABLE_END = '<!-- policy-table:end -->'

/** The guide with its policy table replaced by the current one. */
export function withPolicyTable(guide: string): string {
  const start = guide.indexOf(TABLE_START)
  const end = guide.indexOf(TABLE_END)
  if (start < 0 || end < start) throw new Error(`docs/admin-guide.md needs the markers ${TABLE_START} and ${TABLE_END}`)
  return `${guide.slice(0, start + TABLE_START.length)}\n${renderPolicyTable()}\n${guide.slice(end)}`
}

/** Every generated file, by path from the repository root. */
export function renderTemplates(version: string, bundleId: string, guide: string): Map<string, string> {
  return new Map([
    ['resources/policy/windows/Duet.admx', renderAdmx(version)],
    ...(Object.entries(ADML_FOLDERS) as [TemplateLocale, string][]).map(([locale, folder]) => [`resources/policy/windows/${folder}/Duet.adml`, renderAdml(version, locale)] as [string, string]),
    [`resources/policy/macos/${bundleId}.mobileconfig`, renderMobileconfig(bundleId)],
    ['resources/policy/linux/policy.json', renderPolicyJson()],
    ['docs/admin-guide.md', withPolicyTable(guide)],
  ])
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { parse as parsePlist } from 'plist'
import { describe, expect, it } from 'vitest'
import { ADML_FOLDERS, renderTemplates } from '../../../../scripts/policy/templates'
import { parsePolicyDocument } from '../../../../src/shared/policy/parse'
import { APP_BUNDLE_ID } from '../../../../src/shared/policy/definition'
import { POLICY, POLICY_NAMES } from '../../../../src/shared/policy/schema'

const root = join(import.meta.dirname, '../../../..')
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const version = (JSON.parse(read('package.json')) as { version: string }).version
const rendered = renderTemplates(version, APP_BUNDLE_ID, read('docs/admin-guide.md'))
const ADMX = 'resources/policy/windows/Duet.admx'
const admls = Object.values(ADML_FOLDERS).map((folder) => `resources/policy/windows/${folder}/Duet.adml`)
const MOBILECONFIG = `resources/policy/macos/${APP_BUNDLE_ID}.mobileconfig`
const POLICY_JSON = 'resources/policy/linux/policy.json'

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['policy', 'string', 'presentation', 'category', 'item'].includes(name) })
type Node = Record<string, unknown>

/** Every value of `attribute` anywhere under node. */
function attributes(node: unknown, attribute: string): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => attributes(n, attribute))
  if (typeof node !== 'object' || node === null) return []
  return Object.entries(node).flatMap(([key, value]) => (key === attribute && typeof value === 'string' ? [value] : attributes(value, attribute)))
}

describe('admin templates (npm run policy:templates)', () => {
  it('the committed files are exactly what the schema renders (run npm run policy:templates after changing it)', () => {
    expect([...rendered.keys()].sort()).toEqual([ADMX, ...admls, MOBILECONFIG, POLICY_JSON, 'docs/admin-guide.md'].sort())
    for (const [path, content] of rendered) expect(read(path), path).toBe(content)
  })

  it('ADMX and both ADMLs are well-formed XML', () => {
    for (const path of [ADMX, ...admls]) expect(XMLValidator.validate(read(path)), path).toBe(true)
  })

  it('the ADMX defines every policy under Software\\Policies\\Duet\\Duet, and the recommendable ones under Recommended', () => {
    const admx = xml.parse(read(ADMX)) as { policyDefinitions: { policies: { policy: Node[] } } }
    const policies = admx.policyDefinitions.policies.policy
    for (const name of POLICY_NAMES) {
      const enforced = policies.find((p) => p.name === name)
      expect(enforced, name).toBeDefined()
      expect(enforced?.key).toBe('Software\\Policies\\Duet\\Duet')
      // The registry value Duet reads has the policy's own name.
      expect([...attributes(enforced, 'valueName')], name).toEqual([name])
      const recommended = policies.find((p) => p.name === `${name}_Recommended`)
      expect(Boolean(recommended), `${name} recommended`).toBe(POLICY[name].recommendable)
      if (recommended) expect(recommended.key).toBe('Software\\Policies\\Duet\\Duet\\Recommended')
    }
    expect(policies.filter((p) => !String(p.name).endsWith('_Recommended'))).toHaveLength(POLICY_NAMES.length)
  })

  it('every string and presentation the ADMX refers to is in each ADML, in its language', () => {
    const admx = read(ADMX)
    const strings = [...admx.matchAll(/\$\(string\.([\w]+)\)/g)].map((m) => m[1])
    const presentations = [...admx.matchAll(/\$\(presentation\.([\w]+)\)/g)].map((m) => m[1])
    for (const path of admls) {
      const adml = xml.parse(read(path)) as { policyDefinitionResources: { resources: { stringTable: { string: Node[] }; presentationTable: { presentation: Node[] } } } }
      const { stringTable, presentationTable } = adml.policyDefinitionResources.resources
      const ids = new Set(stringTable.string.map((s) => s.id))
      for (const id of strings) expect(ids.has(id), `${path}: string ${id}`).toBe(true)
      const presentationIds = new Set(presentationTable.presentation.map((p) => p.id))
      for (const id of presentations) expect(presentationIds.has(id), `${path}: presentation ${id}`).toBe(true)
      for (const name of POLICY_NAMES) expect(ids.has(`${name}_Explain`), `${path}: ${name}`).toBe(true)
    }
    const zh = read(admls.find((p) => p.includes('zh-CN')) ?? '')
    expect(zh).toContain(POLICY.ServerUrl.title['zh-CN'])
    expect(zh).toContain(POLICY.UpdateInstallWindow.description['zh-CN'])
  })

  it('the .mobileconfig is a valid profile whose payload holds every policy, and Duet reads it without a problem', () => {
    const profile = parsePlist(read(MOBILECONFIG)) as { PayloadType: string; PayloadContent: Record<string, unknown>[] }
    expect(profile.PayloadType).toBe('Configuration')
    const payload = profile.PayloadContent[0] ?? {}
    expect(payload.PayloadType).toBe(APP_BUNDLE_ID)
    for (const name of POLICY_NAMES) expect(payload, name).toHaveProperty(name)
    const settings = Object.fromEntries(Object.entries(payload).filter(([key]) => !key.startsWith('Payload')))
    const parsed = parsePolicyDocument(settings, MOBILECONFIG)
    expect(parsed.problems).toEqual([])
    expect(Object.keys(parsed.enforced).sort()).toEqual([...POLICY_NAMES].sort())
  })

  it('the example policy.json holds every policy and reads without a problem', () => {
    const parsed = parsePolicyDocument(JSON.parse(read(POLICY_JSON)), POLICY_JSON)
    expect(parsed.problems).toEqual([])
    expect(Object.keys(parsed.enforced).sort()).toEqual([...POLICY_NAMES].sort())
    expect(Object.keys(parsed.recommended).sort()).toEqual(POLICY_NAMES.filter((n) => POLICY[n].recommendable).sort())
  })

  it('the admin guide lists every policy', () => {
    const guide = read('docs/admin-guide.md')
    for (const name of POLICY_NAMES) expect(guide, name).toContain(`| \`${name}\` |`)
  })
})

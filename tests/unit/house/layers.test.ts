import path from 'node:path'
import { ESLint } from 'eslint'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The house rules (../shared/DESIGN.md) are checked by tools, and each rule
 * is proven here by a deliberate violation that the tool must refuse: ESLint
 * for who may import whom, the per-layer tsconfigs for which globals a layer
 * has. A rule that stops catching its violation fails this test.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..')
const eslint = new ESLint({ cwd: ROOT })

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('import rules (ESLint)', () => {
  it.each([
    ['src/shared/probe.ts', "import fs from 'node:fs'"],
    ['src/shared/probe.ts', "import { app } from 'electron'"],
    ['src/shared/probe.ts', "import { createSessionServer } from '../server/index'"],
    ['src/shared/probe.ts', "import { lanAddresses } from '../node/lan'"],
    ['src/shared/probe.ts', "import { useHost } from '../renderer/host/current'"],
    ['src/renderer/lesson/probe.ts', "import { createSessionServer } from '../../server/index'"],
    ['src/renderer/lesson/probe.ts', "import { lanAddresses } from '../../node/lan'"],
    ['src/renderer/lesson/probe.ts', "import path from 'node:path'"],
    ['src/renderer/lesson/probe.ts', "import { ipcRenderer } from 'electron'"],
    ['src/node/probe.ts', "import { LessonAuth } from '../server/lesson/auth'"],
    ['src/server/probe.ts', "import { useRoomStore } from '../renderer/lesson/stores/roomStore'"],
    ['src/server/probe.ts', "import { app } from 'electron'"],
    ['electron/main/probe.ts', "import { LessonAuth } from '../../src/server/lesson/auth'"],
    ['electron/main/probe.ts', "import { useHost } from '../../src/renderer/host/current'"],
  ])('%s: %s is refused', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport const probe = 1\n`)).not.toEqual([])
  })

  it.each([
    ['src/renderer/lesson/probe.ts', "import { CloseCode } from '../../shared/lesson/signaling'"],
    ['src/server/probe.ts', "import { lanAddresses } from '../node/lan'"],
    ['electron/main/probe.ts', "import { createSessionServer } from '../../src/server/index'"],
    ['electron/main/probe.ts', "import { lanAddresses } from '../../src/node/lan'"],
  ])('%s: %s is allowed', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport const probe = 1\n`)).toEqual([])
  })
})

/** Type errors of one probe file compiled as part of a layer's tsconfig (the file never touches the disk). */
function typeErrors(config: string, file: string, source: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (!parsed) throw new Error(`cannot read ${config}`)
  const probe = path.join(ROOT, file)
  const host = ts.createCompilerHost(parsed.options)
  const read = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language) => (path.resolve(name) === probe ? ts.createSourceFile(name, source, language) : read(name, language))
  const roots = [...parsed.fileNames.filter((f) => f.endsWith('.d.ts')), probe]
  const program = ts.createProgram(roots, parsed.options, host)
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('globals per layer (tsconfig)', () => {
  it.each([
    ['tsconfig.shared.json', 'src/shared/probe.ts', 'export const title = document.title'],
    ['tsconfig.shared.json', 'src/shared/probe.ts', 'export const home = process.env.HOME'],
    ['tsconfig.shared.json', 'src/shared/probe.ts', "export const bytes = Buffer.from('x')"],
    ['tsconfig.renderer.json', 'src/renderer/probe.ts', 'export const args = process.argv'],
    ['tsconfig.renderer.json', 'src/renderer/probe.ts', "export const bytes = Buffer.from('x')"],
    ['tsconfig.node.json', 'src/server/probe.ts', 'export const width = window.innerWidth'],
    ['tsconfig.node.json', 'electron/main/probe.ts', "export const el = document.createElement('div')"],
  ])('%s refuses %s: %s', (config, file, source) => {
    expect(typeErrors(config, file, source).join('\n')).toMatch(/Cannot find name/)
  })

  it.each([
    ['tsconfig.shared.json', 'src/shared/probe.ts', "export const id = new URL('https://a.example/x').pathname + new TextDecoder().decode(new Uint8Array())"],
    ['tsconfig.renderer.json', 'src/renderer/probe.ts', 'export const width = window.innerWidth'],
    ['tsconfig.node.json', 'src/server/probe.ts', 'export const home = process.env.HOME'],
  ])('%s allows %s: %s', (config, file, source) => {
    expect(typeErrors(config, file, source)).toEqual([])
  })
})

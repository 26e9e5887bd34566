import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      // TypeScript checks names itself (and knows DOM types ESLint's globals do not).
      'no-undef': 'off',
    },
  },
  // ---- The layers of the house (../shared/DESIGN.md), as VS Code checks its own ----
  // Dependencies point inward: renderer, server and electron/main may import src/shared;
  // server and electron/main may import src/node; nothing imports the renderer; only
  // electron/ imports 'electron'; electron/ uses the server only through src/server/index.ts.
  // tests/unit/house/layers.test.ts proves each rule fails a deliberate violation.
  {
    // CommonJS on purpose (e.g. tests/support/electronBoot, loaded with node --require).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerRules(),
)

function layerRules() {
  const electron = { name: 'electron', message: 'Only electron/ may import electron (DESIGN.md).' }
  const nodeBuiltins = { group: ['node:*'], message: 'This layer has no Node: use src/node from a Node host, or the host interface from the renderer.' }
  const renderer = { group: ['**/renderer/**', '!**/src/renderer/**/*.css'], message: 'Nothing imports the renderer.' }
  const server = { group: ['**/src/server/**', '**/server/**'], message: 'Only the session server itself (and electron/ through src/server/index.ts) uses server code.' }
  const node = { group: ['**/src/node/**', '**/node/**'], message: 'src/node is for the Node hosts (server, electron/main).' }
  const rule = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] })
  return [
    { files: ['src/shared/**/*.ts'], rules: rule([electron], [nodeBuiltins, renderer, server, node]) },
    { files: ['src/node/**/*.ts'], rules: rule([electron], [renderer, server]) },
    { files: ['src/server/**/*.ts'], rules: rule([electron], [renderer]) },
    { files: ['src/renderer/**/*.ts', 'src/renderer/**/*.vue'], rules: rule([electron], [nodeBuiltins, server, node]) },
    {
      files: ['electron/**/*.ts'],
      rules: rule([], [
        renderer,
        { group: ['**/src/server/**', '!**/src/server/index'], message: 'electron/ uses the session server only through its public entry, src/server/index.ts.' },
      ]),
    },
  ]
}

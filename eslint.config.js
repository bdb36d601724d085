// ESLint: TypeScript's recommended checks, Vue's essentials, and the component boundaries (eslint/boundaries.js).
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import jiancha from './eslint/boundaries.js'

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dashboard/web/dist/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.ts', '**/*.vue', '**/*.js'],
    plugins: { jiancha },
    rules: {
      'jiancha/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Tests read JSON answers whose shape is what they assert.
  { files: ['**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
)

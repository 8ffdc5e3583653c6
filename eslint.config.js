import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const engineGlobals = [
  { name: 'Date', message: 'Use ctx.now (the injected clock).' },
  { name: 'performance', message: 'Use ctx.clock.' },
  { name: 'setTimeout', message: 'The engine has no timers: time moves through tick().' },
  { name: 'setInterval', message: 'The engine has no timers: time moves through tick().' },
  { name: 'window', message: 'The engine is pure: no DOM.' },
  { name: 'document', message: 'The engine is pure: no DOM.' },
  { name: 'self', message: 'The engine is pure: no worker globals.' },
  { name: 'process', message: 'The engine is pure: no Node APIs.' },
]

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'test-results', '.tmp', '**/*.trace.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['scripts/**', 'test/bench/**', 'src/server/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...engineGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use ctx.rng (seeded).' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'zustand', 'd3-*', 'node:*'],
              message: 'The engine is pure TypeScript.',
            },
            {
              group: [
                '**/worker/**',
                '**/state/**',
                '**/panels/**',
                '**/console/**',
                '**/app/**',
                '**/server/**',
              ],
              message: 'The engine imports nothing outside src/engine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'zustand', 'd3-*', '**/state/**', '**/panels/**', '**/console/**'],
              message: 'The worker is a thin adapter over the engine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/state/**/*.ts', 'src/console/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/panels/**', 'd3-*'],
              message: 'state/ and console/ do not know about panels.',
            },
            {
              group: ['**/engine/**'],
              allowTypeImports: true,
              message: 'Only types from the engine: values come through the worker.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/panels/**/*.{ts,tsx}'],
    ignores: ['src/panels/**/*.d3.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/worker/**'], message: 'Panels read the store, never the worker.' },
            {
              group: ['**/engine/**'],
              allowTypeImports: true,
              message: 'Panels import engine types only.',
            },
            {
              group: ['d3-selection', 'd3-transition'],
              message: 'Only *.d3.ts files may touch the DOM with d3.',
            },
          ],
        },
      ],
    },
  },
)

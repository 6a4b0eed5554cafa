// Lint rules that catch defects, not style: prettier owns layout. The type-aware rules run over
// src/ and test/ through tsconfig.test.json, the same program `npm run typecheck` checks; the plain
// JavaScript under scripts/ and bin/ gets the rules that need no types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['lib/', 'dist/', 'node_modules/', 'templates-out/', 'jobs/', '.dataless/', '.venv/'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection; one passed where the caller ignores the result
      // (an event listener, forEach) does the same.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Inside try, `return promise` skips the catch and finally the author meant to cover it.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // A switch over a union that misses a member falls through silently.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // tsc already reports unused locals and parameters (noUnusedLocals, noUnusedParameters).
      '@typescript-eslint/no-unused-vars': 'off',
      // `require(...) as typeof import(...)` is how modules load lazily for start-up time; the cast keeps it typed.
      '@typescript-eslint/no-require-imports': 'off',
      // Actions are `(options, io) => Promise<Result>` whether or not a given one awaits anything.
      '@typescript-eslint/require-await': 'off',
      // Style, not defects.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      'no-regex-spaces': 'off',
      // The YAML and JSON scanners match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests walk parsed templates and SDK payloads as loose JSON, and hand chai's methods around.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['eslint.config.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
);

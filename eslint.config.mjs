import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use `as const` objects, not enums (DESIGN §6).' }],
    },
  },
  {
    // The protocol machines: what runs per request, frame and event.
    files: ['packages/{core,http1,http2,websocket,socks,cookies,tunnel}/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'TSEnumDeclaration', message: 'Use `as const` objects, not enums (DESIGN §6).' },
        {
          selector: 'ObjectExpression[properties.length>1] > SpreadElement:first-child',
          message: 'A leading spread followed by more members costs ~0.5 µs and an old-generation object on Node 20 (V8 11.3 clones, then transitions the map): write the members out, or spread after the first member.',
        },
      ],
    },
  },
  {
    files: ['packages/{core,http1,http2,websocket,socks,cookies}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'Codec packages run in any JavaScript runtime: no node:* imports (DESIGN §1).' }] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'Codecs use Uint8Array, not Buffer (DESIGN §1).' }],
    },
  },
);

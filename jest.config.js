// One ts-jest project per package. Tests import sibling packages from their sources (no build
// needed); the smoke tests in packages/*/test/smoke import the packed tarballs instead.
const packages = {
  core: 'packages/core',
  http1: 'packages/http1',
  tunnel: 'packages/tunnel',
  http2: 'packages/http2',
  websocket: 'packages/websocket',
  socks: 'packages/socks',
  cookies: 'packages/cookies',
  gun: 'packages/gun',
  testkit: 'tools/testkit',
};

const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
for (const [name, dir] of Object.entries(packages)) {
  moduleNameMapper[`^@gunhttp/${name}$`] = `<rootDir>/../../${dir}/src/index.ts`;
  moduleNameMapper[`^@gunhttp/${name}/internal$`] = `<rootDir>/../../${dir}/src/internal.ts`;
}

/** @type {import('jest').Config} */
module.exports = {
  projects: Object.entries(packages).map(([name, dir]) => ({
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleNameMapper,
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    },
  })),
  testTimeout: 30000,
};

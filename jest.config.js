// One `npm test` runs all three layers: unit (beside the code), integration (real PostgreSQL, PGlite,
// Redis) and end-to-end (the whole app over HTTP). `--selectProjects` picks one.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // intl-messageformat and its @formatjs parts ship only ES modules; Node (>= 20.19) requires them as they are,
  // but Jest's module loader does not, so they go through swc to CommonJS like our own code.
  transform: { '^.+\\.ts$': swc, '/node_modules/(intl-messageformat|@formatjs)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(intl-messageformat|@formatjs)/)'],
  moduleNameMapper: {
    '^@tocsin/database/testing$': '<rootDir>/libs/database/src/testing/test-database',
    '^@tocsin/(.*)$': '<rootDir>/libs/$1/src',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  // Starting the app on PGlite takes seconds; a hung test still fails, just not at the 5 s default.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};

// Writes README.md's settings table from the settings in libs/config/src/config.ts, between its marker
// comments. Run: npm run settings:readme (libs/config/src/settings-table.spec.ts fails while they differ).
// The TypeScript sources are loaded through the compiler the project already has, so no build is needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};

const { withSettingsTable } = require('../libs/config/src/settings-table.ts');
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(README, 'utf8');
const after = withSettingsTable(before);
if (after === before) console.log('README.md: the settings table is up to date');
else {
  writeFileSync(README, after);
  console.log('README.md: settings table written');
}

#!/usr/bin/env node
'use strict';
// Bundles each Lambda handler under src/lambdas/<name>/index.ts, AWS SDK
// included, into dist/lambdas/<name>/index.js and packs that into a
// deterministic dist/lambdas/<name>.zip (same sources, same bytes) for the
// templates' CodeUri. Run by `npm run build`; prints one line per bundle to stderr.
const fs = require('node:fs');
const path = require('node:path');
const { createZip } = require('./zip');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIR = path.join('src', 'lambdas');
const OUT_DIR = path.join('dist', 'lambdas');
const SHARED = 'shared';
/** The Node.js the bundles are built for: the templates' Lambda runtime (src/stacks/shared/lambda.ts), which a test keeps equal. */
const NODE_TARGET = 'node22';

/** Names of the handler folders: every folder of src/lambdas with an index.ts, except shared/. */
function handlerNames(root = ROOT) {
  const dir = path.join(root, SOURCE_DIR);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== SHARED && fs.existsSync(path.join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

function writeAtomically(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Builds the bundles and zips.
 * @param {{root?: string, names?: string[], log?: (line: string) => void}} [options]
 *   `names` limits the build to some handlers; `log` receives one line per bundle
 *   (default: stderr).
 * @returns {Promise<Array<{name: string, js: string, zip: string, jsBytes: number, zipBytes: number}>>}
 *   paths relative to the root
 */
async function bundleLambdas(options = {}) {
  const esbuild = require('esbuild');
  const root = options.root || ROOT;
  const log = options.log || ((line) => process.stderr.write(`${line}\n`));
  const available = handlerNames(root);
  const names = options.names || available;
  for (const name of names) {
    if (!available.includes(name)) {
      throw new Error(
        `no lambda handler ${name}; expected ${path.join(SOURCE_DIR, name, 'index.ts')} (have: ${available.join(', ')})`,
      );
    }
  }
  const built = [];
  for (const name of names) {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(SOURCE_DIR, name, 'index.ts')],
      outfile: path.join(OUT_DIR, name, 'index.js'),
      bundle: true,
      platform: 'node',
      target: NODE_TARGET,
      format: 'cjs',
      // The SDK's ES module builds let esbuild drop the parts a handler never uses.
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'silent',
      write: false,
    });
    const [output] = result.outputFiles;
    const js = Buffer.from(output.contents);
    if (js.includes(Buffer.from(root))) {
      throw new Error(`bundle ${name} contains the absolute path of the source tree; it would not be reproducible`);
    }
    const jsFile = path.join(OUT_DIR, name, 'index.js');
    const zipFile = path.join(OUT_DIR, `${name}.zip`);
    const zip = createZip([{ name: 'index.js', data: js }]);
    writeAtomically(path.join(root, jsFile), js);
    writeAtomically(path.join(root, zipFile), zip);
    log(`${name}: index.js ${js.length} bytes, ${name}.zip ${zip.length} bytes`);
    built.push({ name, js: jsFile, zip: zipFile, jsBytes: js.length, zipBytes: zip.length });
  }
  return built;
}

module.exports = { bundleLambdas, handlerNames, OUT_DIR, NODE_TARGET };

if (require.main === module) {
  bundleLambdas().catch((error) => {
    process.stderr.write(`bundle-lambdas: ${error.message}\n`);
    process.exitCode = 1;
  });
}

// @ts-check
// npm test: everything from a fresh clone: dependencies, Chromium, type check, lint, unit tests, the
// production builds, the API and browser tests against real servers on temporary stores, and a
// smoke run of the benchmark.
import { ensureBuild, ensureChromium, ensureDependencies, nodeBin, run } from './lib/prepare.mjs';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

ensureDependencies();
ensureChromium();
console.log('\n[perch] type check');
run(nodeBin('tsc'), ['--noEmit'], { env });
// The .mjs scripts, checked from their JSDoc (tsconfig.scripts.json).
run(nodeBin('tsc'), ['--noEmit', '-p', 'tsconfig.scripts.json'], { env });
console.log('\n[perch] format and lint (Biome), dead code (knip), comment length and figures');
run(nodeBin('biome'), ['check', '.'], { env });
run(nodeBin('knip'), [], { env });
run(process.execPath, ['scripts/check-comments.mjs', '--strict'], { env });
console.log('\n[perch] unit tests');
run(nodeBin('vitest'), ['run'], { env });
ensureBuild();
// The sub-path deployment (PERCH_BASE_PATH) is a build of its own; e2e/servers.ts serves it.
ensureBuild({ distDir: `${process.env.PERCH_DIST_DIR || '.next'}-subpath`, basePath: '/perch' });
console.log('\n[perch] API and browser tests');
run(nodeBin('playwright'), ['test', ...process.argv.slice(2)], { env });
// A small run of every part of the benchmark, so that it cannot rot; it fails only when a part
// cannot run, never on a missed target, and writes no docs.
console.log('\n[perch] benchmark smoke run');
run(process.execPath, ['scripts/bench.mjs', '--smoke'], { env });

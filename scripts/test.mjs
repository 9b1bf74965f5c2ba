// npm test: everything from a fresh clone — dependencies, Chromium, type check, unit tests, a
// production build, then the API and browser tests against real servers on temporary stores.
import { ensureBuild, ensureChromium, ensureDependencies, nodeBin, run } from './lib/prepare.mjs';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

ensureDependencies();
ensureChromium();
console.log('\n[perch] type check');
run(nodeBin('tsc'), ['--noEmit'], { env });
console.log('\n[perch] unit tests');
run(nodeBin('vitest'), ['run'], { env });
ensureBuild();
// The sub-path deployment (PERCH_BASE_PATH) is a build of its own; e2e/servers.ts serves it.
ensureBuild({ distDir: `${process.env.PERCH_DIST_DIR || '.next'}-subpath`, basePath: '/perch' });
console.log('\n[perch] API and browser tests');
run(nodeBin('playwright'), ['test', ...process.argv.slice(2)], { env });

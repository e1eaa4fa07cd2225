// Injected into the CommonJS bundles (scripts/build.mjs): what `import.meta.url` means in the ES module sources, the
// bundle's own file URL, so that code which finds files beside itself (src/lock/worker-url.ts) finds them.
/* global require, __filename */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this runs inside a CommonJS bundle
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;

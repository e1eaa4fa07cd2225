import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Makes the test CA and sets NODE_EXTRA_CA_CERTS before workers start (see the file).
    globalSetup: ['test/global-setup.ts'],
  },
});

import { expect, it } from 'vitest';

it('exports the server factory, its version and the error table, nothing else', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "HTTP_STATUS_BY_CODE",
      "SERVER_VERSION",
      "createServer",
      "toErrorAnswer",
    ]
  `);
});

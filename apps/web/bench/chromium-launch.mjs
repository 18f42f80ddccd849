// How civtag starts Debian's Chromium for its end-to-end tests and the grid benchmark: headless,
// and with the networking flags, without which it floods the closed network with refused
// connections. Playwright gives each launch a fresh temporary profile.

/** Launch options for playwright-core's `chromium.launch`. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CIVTAG_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

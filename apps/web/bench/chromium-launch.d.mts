/** Launch options for playwright-core's `chromium.launch` (see chromium-launch.mjs). */
export declare const chromiumLaunchOptions: {
  executablePath: string;
  headless: boolean;
  args: string[];
};

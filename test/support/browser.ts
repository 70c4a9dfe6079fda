import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package, used when installed (as on developers' machines that have it). */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** For any Chromium: no first-run noise, no traffic to anywhere but the app. */
const QUIET = ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** For a desktop build: no sandbox (tests run as root in CI) and no GPU. */
const DESKTOP = ['--no-sandbox', '--disable-gpu', ...QUIET];
/**
 * Flags of @sparticuz/chromium's list (made for one page per AWS Lambda) that we leave out: the
 * browser under test keeps its same-origin rules, and `--single-process` lets a cookie set by
 * `fetch` in one browser context leak into the others (seen with 147), so every new page
 * would start signed in.
 */
const LEFT_OUT = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for a failing test's message. */
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` if set, else Debian's if installed,
 * else the one shipped inside the `@sparticuz/chromium` npm package (a devDependency, so
 * `npm install` alone provides a browser; it unpacks into the temp directory on first use).
 */
export async function chooseChromium(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  const override = env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH is ${override}, which does not exist`);
    return { executablePath: override, args: DESKTOP, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: DESKTOP, source: 'debian' };
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  // Its own flags (software GL, headless shell) suit the build it ships.
  const args = [...packaged.args.filter((a) => !LEFT_OUT.has(a)), ...QUIET];
  return { executablePath, args, source: '@sparticuz/chromium' };
}

/** Launches the chosen Chromium headless. */
export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  try {
    return await chromium.launch({ executablePath: choice.executablePath, args: choice.args });
  } catch (err) {
    throw new Error(`Chromium from ${choice.source} (${choice.executablePath}) did not start: ${String(err)}`, { cause: err });
  }
}

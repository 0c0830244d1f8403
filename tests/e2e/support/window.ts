// What a person does in the lab window, for the stories: open a bundled lab, open a terminal and type in it, read the inspectors, keep screenshots.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { noChromiumMessage } from './chromium';

/** Skips the calling file's tests when the global setup found no Chromium (it printed why, once). */
export function skipWithoutChromium(): void {
  test.skip(process.env.VMNETLAB_E2E_SKIP === '1', noChromiumMessage());
}

export function labUrl(): string {
  const url = process.env.VMNETLAB_URL;
  if (!url) throw new Error('VMNETLAB_URL is not set: the global setup (tests/e2e/global-setup.ts) starts `vmnetlab serve` and sets it');
  return url;
}

/** The README's screenshots, made by this run. */
export const DOCS_SCREENSHOTS = 'docs/screenshots';

let cjk: boolean | null = null;

/** Whether fontconfig has a font for Chinese: without one, 简体中文 screenshots show empty boxes (Debian: fonts-wqy-microhei or fonts-noto-cjk). */
export function hasChineseFont(): boolean {
  if (cjk === null) {
    const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
    cjk = r.status === 0 && r.stdout.trim() !== '';
  }
  return cjk;
}

/**
 * Saves a screenshot of this step in the test's output; `docs` also copies it to docs/screenshots/ under
 * that name when VMNETLAB_UPDATE_SCREENSHOTS=1, unless the page is in Chinese and no Chinese font is installed (the README keeps its last good one).
 */
export async function shot(page: Page, info: TestInfo, name: string, docs?: string, chinese = false): Promise<void> {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  // The README's copies are refreshed on request (`VMNETLAB_UPDATE_SCREENSHOTS=1 npm run test:e2e`), so an ordinary
  // test run leaves the working tree clean; they are still made by this run, never drawn.
  if (docs && process.env.VMNETLAB_UPDATE_SCREENSHOTS !== '1') return;
  if (docs && chinese && !hasChineseFont()) {
    info.annotations.push({ type: 'note', description: `${docs}.png not copied to ${DOCS_SCREENSHOTS}: no Chinese font (install fonts-wqy-microhei)` });
    return;
  }
  if (docs) {
    const to = join(DOCS_SCREENSHOTS, `${docs}.png`);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(path, to);
  }
}

/** Opens the window and, through File → Open…, the bundled lab `name` afresh (answering "Don't Save" when the lab has changes). */
export async function openBundledLab(page: Page, name: string): Promise<void> {
  await page.goto(labUrl());
  await expect(page.getByTestId('machine-vm1')).toBeVisible();
  const changed = (await page.getByTestId('dirty-mark').count()) > 0;
  await page.getByTestId('file-open').click();
  await page.getByTestId(`bundled-${name}`).click();
  if (changed) await page.getByTestId('discard-dont-save').click();
  await expect(page.getByTestId('open-dialog')).toHaveCount(0);
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await expect(page.getByTestId('machine-vm1')).toBeVisible();
}

export function machine(page: Page, name: string): Locator {
  return page.getByTestId(`machine-${name}`);
}

/** Selects `vm` in the machine list and presses "Settings…". */
export async function openSettings(page: Page, vm: string): Promise<void> {
  await machine(page, vm).click();
  await page.getByTestId('machine-settings').click();
}

/** Opens `node`'s terminal from the machine list and waits for its prompt. */
export async function openTerminal(page: Page, node: string): Promise<void> {
  await machine(page, node).click();
  await page.getByTestId('machine-terminal').click();
  await expect(page.getByTestId(`terminal-text-${node}`)).toContainText('#');
}

/** Types `line` and Enter in `node`'s terminal; returns what the command printed once the prompt is back. */
export async function typeCommand(page: Page, node: string, line: string, timeout = 60_000): Promise<string> {
  const mirror = page.getByTestId(`terminal-text-${node}`);
  const before = (await mirror.textContent()) ?? '';
  await page.getByTestId(`terminal-${node}`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  let out = '';
  await expect
    .poll(
      async () => {
        const now = (await mirror.textContent()) ?? '';
        out = now.slice(before.length);
        // The line echoed, then output, then the prompt again.
        return out.includes(line) && /\n[^\n]*[#$] ?$/.test(out.slice(out.indexOf(line) + line.length));
      },
      { timeout },
    )
    .toBe(true);
  return out;
}

/** The rows of one group (a DHCP server, a NAT engine) of an inspector table, as cell texts. */
export async function groupRows(page: Page, inspector: 'leases' | 'nat', group: string): Promise<string[][]> {
  const rows = page.getByTestId(inspector).locator(`table[data-group="${group}"] tbody tr`);
  const n = await rows.count();
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push((await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim()));
  return out;
}

/** What the browser benchmarks share: the system Chromium, and pressing Post at a known time. */
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath:
      process.env.CHROMIUM_PATH ??
      (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Writes `text` and presses Post; resolves with the page's Date.now() at the press. */
export async function pressPost(page: Page, text: string): Promise<number> {
  await page.getByLabel('Write a post').fill(text);
  return page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Post',
    )!;
    const at = Date.now();
    button.click();
    return at;
  });
}

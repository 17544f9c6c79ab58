import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with scripts/start.mjs
import { electronBinary } from '../../scripts/electron-binary.mjs';

const bin = (electronBinary as () => string | null)();
const SKIP_REASON = 'no Electron binary installed: run `npx install-electron` where the internet is reachable, then `npm run test:e2e`';
// The list reporter does not show skip reasons: say it once, in one line.
if (!bin) console.log(`electron e2e skipped: ${SKIP_REASON}`);

test.describe('the desktop app (Electron)', () => {
  test.skip(!bin, SKIP_REASON);

  test('add a waybill, see a sandbox push arrive, tray menu counts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-electron-'));
    const app = await electron.launch({
      executablePath: bin!,
      args: ['dist/main/electron.js'],
      env: { ...process.env, PARCELTRAY_DATA_DIR: dataDir, PARCELTRAY_E2E: '1' },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('entry-number')).toBeFocused();
      await page.keyboard.type('YT6186594166530');
      await page.keyboard.press('Enter');
      const row = page.locator('[data-testid="parcel-row"][data-number="YT6186594166530"]');
      await expect(row.getByTestId('parcel-state')).toHaveText('派件', { timeout: 60_000 });
      // the tray redraws at most every 500 ms
      await expect
        .poll(() =>
          app.evaluate(() => {
            const shell = (globalThis as unknown as { __parcelTrayShell: { trayModel: { labels: { delivering: string } } | null } }).__parcelTrayShell;
            return shell.trayModel?.labels.delivering;
          }),
        )
        .toBe('派件中 1');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// chromium.mjs: what the browser tests share: Debian's chromium in a
// throw-away profile (playwright-core), and the "ok - ..." / "not ok - ..."
// lines tests/run counts.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A headless chromium with a fresh profile; close() removes the profile.
export async function launch(viewport = { width: 1280, height: 800 }) {
	const profile = mkdtempSync(join(tmpdir(), 'slacklog-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport,
	});
	const close = async () => {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	};
	return { context, close };
}

// ok(cond, name, why): prints one result line; failed() counts the bad ones.
export function results() {
	let failed = 0;
	const ok = (cond, name, why = '') => {
		if (cond) console.log(`ok - ${name}`);
		else { failed++; console.log(`not ok - ${name}${why ? ': ' + why : ''}`); }
	};
	return { ok, failed: () => failed };
}

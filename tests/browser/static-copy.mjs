// static-copy.mjs: a static copy of the archive (`slacklog build`) behind a
// plain static server, in a real browser (Debian's chromium driven by
// playwright-core). Usage: node static-copy.mjs STATIC_URL SCREENS
//   STATIC_URL  base URL of a static server of a build of web-threads
//   SCREENS     directory for screenshots (test artifacts)
// A bookmarked search says that this copy cannot search, and where the
// box would be a link says so too; /favicon.ico is an icon the browser
// can draw. Prints "ok - ..." / "not ok - ..." lines.
import { launch, results } from './chromium.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, screens] = process.argv.slice(2);
mkdirSync(screens, { recursive: true });
const { ok, failed } = results();
const { context, close } = await launch();
const problems = [];

try {
	const page = await context.newPage();
	page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`); });
	page.on('requestfailed', (r) => problems.push(`${page.url()}: failed ${r.url()}`));

	// a search bookmarked on a server, opened on the static copy
	const resp = await page.goto(`${base}/?q=deploy`);
	ok(resp && resp.status() === 200, 'a bookmarked search answers (the home page)');
	const note = page.locator('header .nosearch a');
	ok(await note.isVisible(), 'the header says that search is not available on this copy');
	ok((await note.innerText()).includes('not available'), 'in words', await note.innerText());
	ok(await page.locator('header input[name=q]').count() === 0, 'there is no search box to type into');
	await page.screenshot({ path: join(screens, 'static-search-bookmark.png') });
	await Promise.all([page.waitForURL(/search\.html/, { timeout: 5000 }).catch(() => {}), note.click()]);
	ok(page.url() === `${base}/search.html`, 'the note leads to the search page', page.url());
	ok((await page.locator('main').innerText()).includes('Search is not available on this copy'),
		'which explains that this copy cannot search');
	await page.screenshot({ path: join(screens, 'static-search-page.png') });

	// the icon browsers ask for by default
	const icon = await page.goto(`${base}/favicon.ico`);
	ok(icon && icon.status() === 200, '/favicon.ico answers 200');
	const size = await page.evaluate(() => {
		const img = document.querySelector('img');
		return img ? [img.naturalWidth, img.naturalHeight] : [0, 0];
	});
	ok(size[0] >= 16 && size[1] >= 16, 'and the browser draws it as an image', JSON.stringify(size));

	ok(problems.length === 0, 'no console errors or failed requests', problems.slice(0, 5).join(' | '));
} catch (e) {
	ok(false, 'browser test ran to the end', e.stack);
} finally {
	await close();
}
process.exit(failed() ? 1 : 0);

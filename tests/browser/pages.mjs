// The pages in a real browser (Debian's chromium, driven by
// playwright-core): log in to the console, acknowledge an alert, sign
// off a BIA, log a downtime, watch a ticket's countdown tick, reach
// everything by keyboard, and screenshot /status at 1280 and 360 px.
// Run by tests/integration/test_browser.py, which prepares the data and
// checks the database afterwards.  Input: a JSON object in argv[2]
// {url, user, password, alert, service, ticket, artifacts, incident,
// maintenance}.  Output:
// one JSON line {ok, steps: {...}, errors: [...]}; exit 1 on failure.
import { chromium } from 'playwright-core';

const cfg = JSON.parse(process.argv[2]);
const steps = {};
const errors = [];

function check(what, cond, detail) {
	steps[what] = Boolean(cond);
	if (!cond)
		errors.push(what + (detail ? ': ' + detail : ''));
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu'],
});
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	// A CSP violation or a script error is a failure of the page.
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push('console: ' + m.text());
	});
	page.on('pageerror', (e) => errors.push('page: ' + e.message));

	// Log in: the console sends us to the form and back.
	await page.goto(cfg.url + '/console/alerts');
	check('redirected to login', page.url().includes('/console/login?next=/console/alerts'),
	    page.url());
	await page.fill('#username', cfg.user);
	await page.fill('#password', cfg.password);
	await Promise.all([page.waitForURL(/\/console\/alerts$/), page.click('button[type=submit]')]);
	check('logged in', (await page.textContent('h1')) === 'Alerts');

	// Acknowledge the alert.
	const ack = page.locator(`form[action="/console/alerts/${cfg.alert}/ack"] button`);
	check('alert shown', await ack.count() === 1);
	await Promise.all([page.waitForURL(/\/console\/alerts$/), ack.click()]);
	check('alert acknowledged', (await page.locator('.flash-ok').count()) === 1 &&
	    (await page.locator(`form[action="/console/alerts/${cfg.alert}/ack"]`).count()) === 0);

	// Sign off the BIA, then log a downtime.
	await page.goto(`${cfg.url}/console/services/${cfg.service}`);
	await Promise.all([page.waitForLoadState(), page.click('text=Sign off the BIA')]);
	await page.waitForSelector('.flash-ok');
	check('bia signed off', (await page.locator('text=Withdraw the sign-off').count()) === 1);
	await page.fill('#start_time', '2026-01-05T10:00');
	await page.fill('#end_time', '2026-01-05T10:30');
	await page.fill('#reason', 'Browser test outage');
	await Promise.all([page.waitForLoadState(), page.click('text=Log the downtime')]);
	await page.waitForSelector('.flash-ok');
	check('downtime logged', (await page.locator('td', { hasText: 'Browser test outage' }).count()) === 1);

	// The ticket's countdown ticks down, second by second.
	await page.goto(`${cfg.url}/console/tickets/${cfg.ticket}`);
	const first = await page.textContent('#countdown');
	await page.waitForFunction((t) => document.querySelector('#countdown').textContent !== t,
	    first, { timeout: 5000 });
	const second = await page.textContent('#countdown');
	const secs = (s) => {
		const m = s.match(/(?:(\d+) h )?(?:(\d+) min )?(\d+) s left/);
		return m ? (Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3])) : NaN;
	};
	check('countdown ticks', secs(second) < secs(first) && secs(first) - secs(second) <= 3,
	    `${first} -> ${second}`);

	// Every link and control is reachable by keyboard, the skip link first.
	await page.goto(`${cfg.url}/console/services/${cfg.service}`);
	await page.keyboard.press('Tab');
	check('skip link first', await page.evaluate(() => document.activeElement.className) === 'skip');
	// Number every control, then tab through and note whose turn it is.
	// A radio group is one stop (the arrow keys move inside it).
	const focusable = await page.evaluate(() => {
		const groups = new Set();
		let n = 0;
		for (const e of document.querySelectorAll(
		    'a[href], button, input:not([type=hidden]), select, textarea')) {
			if (e.type === 'radio') {
				if (groups.has(e.name))
					continue;
				groups.add(e.name);
				for (const r of document.getElementsByName(e.name))
					r.dataset.tabStop = n;
			} else
				e.dataset.tabStop = n;
			n++;
		}
		return n;
	});
	// A date-time field takes one Tab per part (day, month, year, ...).
	const seen = new Set();
	for (let i = 0; i < focusable * 6 && seen.size < focusable; i++) {
		const at = await page.evaluate(() => document.activeElement.dataset.tabStop);
		if (at !== undefined)
			seen.add(at);
		await page.keyboard.press('Tab');
	}
	const missed = await page.evaluate((s) => [...document.querySelectorAll('[data-tab-stop]')]
	    .filter((e) => !s.includes(e.dataset.tabStop)).map((e) => e.outerHTML.slice(0, 60)),
	    [...seen]);
	check('all reachable by tab', seen.size === focusable,
	    `${seen.size} of ${focusable}; missed ${JSON.stringify(missed.slice(0, 5))}`);

	// The public status page at 1280 and 360 px: pictures, no sideways scroll.
	for (const [w, name] of [[1280, 'status-1280.png'], [360, 'status-360.png']]) {
		const p = await browser.newPage({ viewport: { width: w, height: 900 } });
		p.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
		await p.goto(cfg.url + '/status');
		await p.screenshot({ path: `${cfg.artifacts}/${name}`, fullPage: true });
		const width = await p.evaluate(() => document.documentElement.scrollWidth);
		check(`no sideways scroll at ${w}`, width <= w, `${width} > ${w}`);
		// The bars each service shows: those inside its clip's box (a
		// phone sees the last 30 of the 90, by CSS alone).
		const bars = await p.evaluate(() => [...document.querySelectorAll('.bars-clip')]
		    .map((clip) => {
			const box = clip.getBoundingClientRect();
			return [...clip.querySelectorAll('rect')].filter((r) => {
				const b = r.getBoundingClientRect();
				return b.width > 0 && b.left >= box.left - 0.5 &&
				    b.right <= box.right + 0.5;
			}).length;
		    }));
		check(`bars at ${w}`, bars.length > 0 && bars.every((n) => n === (w > 600 ? 90 : 30)),
		    JSON.stringify(bars.slice(0, 3)));
		// The incident and the planned maintenance, on screen.
		for (const [what, sel] of [['incident', `#incident-${cfg.incident}`],
		    ['maintenance', `#maintenance-${cfg.maintenance}`]])
			check(`${what} shown at ${w}`, await p.locator(sel).isVisible(), sel);
		await p.close();
	}
} catch (e) {
	errors.push('exception: ' + e.message);
} finally {
	await browser.close();
}
const ok = errors.length === 0;
process.stdout.write(JSON.stringify({ ok, steps, errors }) + '\n');
process.exit(ok ? 0 : 1);

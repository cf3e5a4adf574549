/*
 * The console's SLA countdowns, ticking.  Each element with data-left
 * (working seconds left when the page was made) and data-limit counts
 * down every second while data-running is "1" (the clock runs now:
 * not paused, inside business hours).  Without this script the page
 * shows the same countdown as of when it was made.
 */
(function () {
	'use strict';
	var els = document.querySelectorAll('[data-left]');
	var loaded = Date.now();

	function span(s) {
		var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
		var parts = [];
		if (h > 0)
			parts.push(h + ' h');
		if (h > 0 || m > 0)
			parts.push(m + ' min');
		parts.push(s % 60 + ' s');
		return parts.join(' ');
	}

	function tick() {
		var gone = Math.floor((Date.now() - loaded) / 1000);
		els.forEach(function (el) {
			if (el.dataset.running !== '1')
				return;
			var limit = Number(el.dataset.limit);
			var left = Number(el.dataset.left) - gone;
			if (left > 0) {
				var pct = limit > 0 ?
				    Math.floor((limit - left) * 100 / limit) : 100;
				el.textContent = span(left) + ' left (' + pct + ' %)';
			} else
				el.textContent = 'breached ' + span(-left) + ' ago';
		});
	}

	if (els.length > 0) {
		tick();
		window.setInterval(tick, 1000);
	}
}());

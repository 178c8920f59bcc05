// Follows a payment on the thanks page without reloading it: polls /payments/status/{id} while the
// payment is processing, and when the status changes fetches this page again and swaps the status
// block in place (the server renders every state, so there is one source of wording). Without
// JavaScript the page refreshes itself instead (a meta refresh inside <noscript>).
(function () {
  'use strict';
  var block = document.getElementById('payment-status');
  var announcer = document.getElementById('status-announcer');
  if (!block || !window.fetch || !window.DOMParser) return;

  var id = block.getAttribute('data-payment-id');
  var started = Date.now();
  var delay = 1000;
  var giveUpAfter = 15 * 60 * 1000; // a checkout left open this long is not going to finish while we watch

  function schedule() {
    if (Date.now() - started > giveUpAfter) return;
    window.setTimeout(poll, delay);
    delay = Math.min(Math.round(delay * 1.5), 5000);
  }

  function poll() {
    fetch('/payments/status/' + encodeURIComponent(id), { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && status.status !== block.getAttribute('data-status')) return refresh();
        schedule();
      })
      .catch(schedule); // a network blip: keep trying
  }

  function refresh() {
    return fetch(window.location.href, { cache: 'no-store' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('payment-status');
        if (!fresh) return schedule();
        block.replaceWith(fresh);
        block = fresh;
        var heading = fresh.querySelector('h1');
        if (heading) document.title = heading.textContent;
        if (announcer && heading) announcer.textContent = heading.textContent;
        if (fresh.getAttribute('data-processing') === 'true') schedule();
      })
      .catch(schedule);
  }

  if (block.getAttribute('data-processing') === 'true') schedule();
})();

// The dashboard, live: countdowns and time-left bars that tick, and Refresh done in place. Without
// JavaScript the page shows the same values as of loading, and the forms post normally.
(function () {
  'use strict';

  function formatDuration(totalSeconds) {
    if (totalSeconds <= 0) return 'expired';
    var days = Math.floor(totalSeconds / 86400);
    var hours = Math.floor((totalSeconds % 86400) / 3600);
    var minutes = Math.floor((totalSeconds % 3600) / 60);
    var seconds = totalSeconds % 60;
    if (days > 0) return days + ' d ' + hours + ' h';
    if (hours > 0) return hours + ' h ' + minutes + ' min';
    if (minutes > 0) return minutes + ' min ' + seconds + ' s';
    return seconds + ' s';
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-expires-at]').forEach(function (clock) {
      var expiresAt = Number(clock.getAttribute('data-expires-at'));
      var lifetime = Number(clock.getAttribute('data-lifetime'));
      var left = Math.max(0, Math.floor((expiresAt - now) / 1000));
      var text = clock.querySelector('[data-time-left]');
      var bar = clock.querySelector('progress');
      if (text) text.textContent = left > 0 ? formatDuration(left) + ' left' : 'expired';
      if (bar && lifetime > 0) bar.value = Math.min(lifetime, left);
      clock.classList.toggle('expired', left === 0);
    });
  }

  /** The refresh's outcome under its button: one of the two messages shown, the other hidden. */
  function showOutcome(ok, message) {
    var shown = document.querySelector(ok ? '[data-refresh-ok]' : '[data-refresh-failed]');
    var other = document.querySelector(ok ? '[data-refresh-failed]' : '[data-refresh-ok]');
    var notice = document.querySelector('[data-notice]');
    if (notice) notice.hidden = true; // the page's notice is about an earlier refresh
    if (other) other.hidden = true;
    if (!shown) return;
    shown.textContent = message;
    shown.hidden = false;
    if (shown.scrollIntoView) shown.scrollIntoView({ block: 'nearest' });
  }

  function applyTokenState(token) {
    Object.keys(token).forEach(function (key) {
      document.querySelectorAll('[data-field="' + key + '"]').forEach(function (field) {
        field.textContent = token[key];
      });
    });
    var access = document.querySelector('[data-clock="access"]');
    if (access) {
      access.setAttribute('data-expires-at', String(token.expiresAtMs));
      access.setAttribute('data-lifetime', String(token.lifetimeSeconds));
    }
    tick();
  }

  function failureText(body, retryAfter) {
    var message = body && body.error ? body.error.message : 'The refresh did not work. Please try again.';
    return retryAfter ? message + ' (Retry in ' + retryAfter + ' s.)' : message;
  }

  var form = document.querySelector('form[data-refresh]');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      // Busy, not disabled: a disabled button loses keyboard focus to <body>.
      if (button.getAttribute('aria-disabled') === 'true') return;
      button.setAttribute('aria-disabled', 'true');
      fetch(form.action, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.ok) {
              applyTokenState(body.token);
              showOutcome(true, 'The access token was refreshed: its fingerprint and expiry above are new.');
            } else if (response.status === 401) {
              location.assign(form.getAttribute('data-home'));
            } else {
              showOutcome(false, failureText(body, response.headers.get('Retry-After')));
            }
          });
        })
        .catch(function () {
          showOutcome(false, 'The refresh did not work: the app could not be reached. Please try again.');
        })
        .finally(function () {
          button.removeAttribute('aria-disabled');
        });
    });
  }

  // Back after logging out must not show the dashboard from the browser's back/forward cache: reload, and
  // the server (which no longer knows the session) answers with the signed-out page.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) location.reload();
  });

  tick();
  setInterval(tick, 1000);
})();

// Runs on the page where a sign-in ends (the dashboard or an error page). In the sign-in popup it reports the
// result to the window that opened it and closes; anywhere else it does nothing. If the popup cannot close,
// it simply stays on this page, which is the real dashboard or error page, never a blank one.
(function () {
  'use strict';
  var FLAG = 'rcapp:popup';
  if (sessionStorage.getItem(FLAG) !== '1') return;
  sessionStorage.removeItem(FLAG);
  var source = document.getElementById('signin-result');
  if (!source) return;
  var result = {
    type: 'rcapp:signin',
    ok: source.getAttribute('data-ok') === 'true',
    title: source.getAttribute('data-title') || '',
    message: source.getAttribute('data-message') || '',
  };
  try {
    // An exact target origin: the result never goes to a page of another site.
    if (window.opener && !window.opener.closed) window.opener.postMessage(result, location.origin);
  } catch {
    // The opener is gone or cross-origin: the BroadcastChannel below still reaches it.
  }
  if ('BroadcastChannel' in window) {
    var channel = new BroadcastChannel('rcapp-signin');
    channel.postMessage(result);
    channel.close();
  }
  window.close();
})();

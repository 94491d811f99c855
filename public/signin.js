// "Sign in with a popup": opens the sign-in in a popup window and waits for it to report back.
// Without JavaScript, or when the popup is blocked, the link is a plain full-page sign-in.
(function () {
  'use strict';
  var FLAG = 'rcapp:popup';
  var CHANNEL = 'rcapp-signin';
  var link = document.querySelector('[data-popup-signin]');
  var status = document.querySelector('[data-signin-status]');
  if (!link || !status) return;
  var done = false;

  function finish(result) {
    if (done || !result || result.type !== 'rcapp:signin') return;
    done = true;
    if (result.ok) {
      location.assign(link.getAttribute('data-home'));
      return;
    }
    status.textContent = result.title + ': ' + result.message;
    status.hidden = false;
    status.focus();
  }

  // Only messages from our own origin count: any page could postMessage to this window.
  window.addEventListener('message', function (event) {
    if (event.origin === location.origin) finish(event.data);
  });
  // When the browser severed window.opener (cross-origin opener policies), the popup reports here instead.
  if ('BroadcastChannel' in window) {
    new BroadcastChannel(CHANNEL).onmessage = function (event) {
      finish(event.data);
    };
  }

  link.addEventListener('click', function (event) {
    event.preventDefault();
    done = false;
    status.hidden = true;
    // The popup gets a copy of this tab's sessionStorage when it opens: that is how its last page knows
    // it is the popup. Removed here right after, so this tab is not mistaken for one.
    sessionStorage.setItem(FLAG, '1');
    var popup = window.open(link.href, 'rcapp-signin', 'popup,width=520,height=720');
    sessionStorage.removeItem(FLAG);
    if (!popup) {
      location.assign(link.href); // blocked: sign in with a full-page redirect instead
      return;
    }
    popup.focus();
  });
})();

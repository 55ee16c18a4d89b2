// Sign-in, second step: post the one-time token so that the server sets the HttpOnly session
// cookie, and come back to the page (and query) the user asked for. Served by the app itself
// (`/_postloan/continue.js`), so the Content-Security-Policy needs no inline script for it.
(function () {
  var me = document.currentScript;
  var form = document.createElement("form");
  form.method = "post";
  form.action = me.getAttribute("data-action");
  form.style.display = "none";
  var fields = [
    ["token", me.getAttribute("data-token")],
    ["next", window.location.pathname + window.location.search],
  ];
  fields.forEach(function (pair) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = pair[0];
    input.value = pair[1];
    form.appendChild(input);
  });
  document.body.appendChild(form);
  form.submit();
})();

/* htmx on demand (issue #24). htmx is 17 KB gzipped, more than a first visit's whole budget
   (14.6 KB), so a page that uses it (base.html: `{% block htmx %}1{% endblock %}`) names this
   script instead, with htmx's address in data-htmx, and htmx is fetched only:
   - on the first sign of intent on an element that makes htmx requests (data-hx-get/post/...,
     or inside one): focus, pointer down, key down, input;
   - on a page that polls (a trigger "every ..." or "load"): once the page has loaded and the
     browser is idle, so it never delays the first paint.
   Then htmx processes the page. Typing done before htmx listened is not lost: once htmx is
   ready, the field's own trigger that does not need a change htmx has seen (the address
   search's `search`) is fired once. A click or submit before then goes through as a plain link
   or form, as with JavaScript off. No inline script: the CSP's script-src 'self' allows a
   same-origin script added here. */
(function () {
  "use strict";
  var me = document.currentScript;
  var src = me && me.getAttribute("data-htmx");
  if (!src || window.htmx) { return; }
  var REQUESTS = ["get", "post", "put", "patch", "delete"].map(function (verb) {
    return "[data-hx-" + verb + "],[hx-" + verb + "]";
  }).join(",");
  var TIMED = /^(every\s|load\b|revealed\b|intersect\b)/;
  var state = "idle";  // idle -> loading -> ready (idle again if the file failed to load)
  var typedIn = [];  // fields typed in before htmx listened to them

  function triggersOf(element) {
    var spec = element.getAttribute("data-hx-trigger") || element.getAttribute("hx-trigger") || "";
    return spec.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function replay(element) {
    /* htmx's `changed` filter remembers the value it saw when it processed the field, so the
       typing done before must be answered through a trigger without it. */
    if (element.value === element.defaultValue) { return; }
    var plain = triggersOf(element).filter(function (t) {
      return !TIMED.test(t) && !/\schanged\b/.test(t);
    })[0];
    if (plain) { window.htmx.trigger(element, plain.split(/[\s[]/)[0]); }
  }

  function ready() {
    state = "ready";
    window.htmx.process(document.body);
    typedIn.forEach(replay);
    typedIn = [];
  }

  function add() {
    var script = document.createElement("script");
    script.src = src;
    script.onload = ready;
    script.onerror = function () { script.remove(); state = "idle"; };  // next intent retries
    document.head.appendChild(script);
  }

  function load() {
    if (state !== "idle") { return; }
    state = "loading";
    /* htmx 2 sets itself up at once only before DOMContentLoaded or once the document is
       "complete"; in between (an image still loading) it would wait for DOMContentLoaded,
       which has already fired, and never process the page. */
    if (document.readyState === "complete") { add(); }
    else { window.addEventListener("load", add, { once: true }); }
  }

  function intent(event) {
    if (state === "ready") { return; }
    var target = event.target;
    var element = target && target.closest ? target.closest(REQUESTS) : null;
    if (!element) { return; }
    if (event.type === "input" && element === target && typedIn.indexOf(element) < 0) {
      typedIn.push(element);
    }
    load();
  }

  ["focusin", "pointerdown", "keydown", "input"].forEach(function (type) {
    document.addEventListener(type, intent, { capture: true, passive: true });
  });

  var polls = Array.prototype.some.call(
    document.querySelectorAll("[data-hx-trigger],[hx-trigger]"),
    function (element) { return triggersOf(element).some(function (t) { return TIMED.test(t); }); }
  );
  if (polls) {
    var whenIdle = function () {
      if (window.requestIdleCallback) { window.requestIdleCallback(load, { timeout: 2000 }); }
      else { setTimeout(load, 200); }
    };
    if (document.readyState === "complete") { whenIdle(); }
    else { window.addEventListener("load", whenIdle, { once: true }); }
  }
}());

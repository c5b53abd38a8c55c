/* Kiosk profile (ЦОН self-service zone): idle warning and reset, on-screen keypad and keyboard,
   the page read aloud with answers by number, no new windows, silent receipt printing. Loaded only on enrolled kiosks; no inline script. */
(function () {
  "use strict";
  var body = document.body;
  var data = body.dataset;
  var warnAfter = (parseInt(data.kioskWarn, 10) || 60) * 1000;
  var resetAfter = (parseInt(data.kioskReset, 10) || 90) * 1000;
  var lastTouch = Date.now();
  var resetting = false;

  /* --- Nothing left behind ------------------------------------------------------------- */
  function touched() { lastTouch = Date.now(); hideWarning(); }
  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, touched, { capture: true, passive: true });
  });
  function dialog() { return document.getElementById("kiosk-idle"); }
  function hideWarning() { var d = dialog(); if (d && !d.hidden) { d.hidden = true; } }

  function csrfToken() {
    var input = document.querySelector("#kiosk-reset input[name=csrf_token]");
    return input ? input.value : "";
  }
  function wipePage() {
    /* The network is down: the server will end the visit by itself (it does so on the next
       request after the idle time), but the screen must forget the visitor now. */
    stopSpeech();
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* private mode */ }
    var main = document.getElementById("main");
    if (main) { main.innerHTML = ""; var p = document.createElement("p"); p.className = "kiosk-offline"; p.textContent = data.kioskOffline || ""; main.appendChild(p); }
    var header = document.querySelector("header.top .account"); if (header) { header.remove(); }
    history.replaceState(null, "", "/kiosk/");
  }
  function resetNow() {
    if (resetting) { return; }
    resetting = true;
    stopSpeech();
    var attempt = function () {
      fetch("/kiosk/reset", { method: "POST", credentials: "same-origin", redirect: "manual",
                              headers: { "X-CSRFToken": csrfToken() } })
        .then(function () { location.replace("/kiosk/"); })
        .catch(function () { wipePage(); setTimeout(attempt, 5000); });
    };
    attempt();
  }
  function tick() {
    if (document.getElementById("kiosk-attract")) { return; } // nothing to erase there
    var idle = Date.now() - lastTouch;
    var d = dialog();
    if (idle >= resetAfter) { resetNow(); return; }
    if (idle >= warnAfter && d) {
      d.hidden = false;
      var left = Math.ceil((resetAfter - idle) / 1000);
      var counter = document.getElementById("kiosk-countdown");
      if (counter) { counter.textContent = String(left); }
    }
  }
  setInterval(tick, 250);
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "kiosk-stay") { touched(); }
  });
  /* A page brought back by Back from the browser's memory is asked for again: the server
     decides what it shows (after a reset: nothing of the previous visitor). */
  window.addEventListener("pageshow", function (event) { if (event.persisted) { location.reload(); } });

  /* --- Locked down: no new windows, no way off the portal -------------------------------- */
  window.open = function () { return null; };
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) { return; }
    if (link.target || link.origin !== location.origin) { event.preventDefault(); }
  }, true);

  /* --- On-screen keypad and keyboard ----------------------------------------------------- */
  var DIGITS = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["CLEAR", "0", "DEL"]];
  /* While the page is read aloud: an option by its spoken number, then Continue. */
  var ANSWERS = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["LISTEN", "OK"]];
  var LETTERS = [
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"],
    ["Ә", "І", "Ң", "Ғ", "Ү", "Ұ", "Қ", "Ө", "Һ", "-"],
    ["Й", "Ц", "У", "К", "Е", "Н", "Г", "Ш", "Щ", "З", "Х", "Ъ"],
    ["Ф", "Ы", "В", "А", "П", "Р", "О", "Л", "Д", "Ж", "Э", "Ё"],
    ["Я", "Ч", "С", "М", "И", "Т", "Ь", "Б", "Ю", ".", ","],
    ["CLEAR", "SPACE", "DEL"]
  ];
  var target = null;
  var panel = null;
  function kindOf(input) {
    if (input.dataset.kioskPad) { return input.dataset.kioskPad; }
    var mode = input.getAttribute("inputmode");
    var kind = (mode === "numeric" || mode === "tel" || input.type === "tel") ? "digits" : "letters";
    input.dataset.kioskPad = kind;
    input.setAttribute("inputmode", "none"); // the on-screen pad replaces any system keyboard
    return kind;
  }
  function typeable(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" &&
      ["text", "search", "tel", "number", "email", ""].indexOf(el.type) >= 0));
  }
  function label(key) {
    var names = { DEL: data.kioskLabelDelete, CLEAR: data.kioskLabelClear, SPACE: data.kioskLabelSpace,
                  LISTEN: data.kioskLabelListen, OK: data.kioskLabelOk };
    return names[key] || key;
  }
  function emit(input) { input.dispatchEvent(new Event("input", { bubbles: true })); }
  function press(key) {
    if (!target) { return; }
    var value = target.value;
    var start = target.selectionStart === null ? value.length : target.selectionStart;
    var end = target.selectionEnd === null ? value.length : target.selectionEnd;
    if (key === "CLEAR") { target.value = ""; start = 0; }
    else if (key === "DEL") {
      if (start === end && start > 0) { start -= 1; }
      target.value = value.slice(0, start) + value.slice(end);
    } else {
      var ch = key === "SPACE" ? " " : (target.dataset.kioskPad === "letters" ? key.toLowerCase() : key);
      var max = target.maxLength > 0 ? target.maxLength : Infinity;
      if (value.length - (end - start) >= max) { return; }
      target.value = value.slice(0, start) + ch + value.slice(end);
      start += ch.length;
    }
    try { target.setSelectionRange(start, start); } catch (e) { /* type=number */ }
    emit(target);
  }
  function build(kind) {
    var node = document.createElement("div");
    node.className = "kiosk-pad kiosk-pad-" + kind;
    node.setAttribute("role", "group");
    node.setAttribute("aria-label", kind === "letters" ? "А-Я" : "0-9");
    ({ digits: DIGITS, letters: LETTERS, answers: ANSWERS })[kind].forEach(function (row) {
      var line = document.createElement("div");
      line.className = "kiosk-pad-row";
      row.forEach(function (key) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "key" + (key.length > 1 ? " key-wide" : "");
        button.dataset.key = key;
        button.textContent = label(key);
        line.appendChild(button);
      });
      node.appendChild(line);
    });
    var close = document.createElement("button");
    close.type = "button"; close.className = "key key-close"; close.dataset.key = "CLOSE";
    close.textContent = data.kioskLabelClose || "×";
    if (kind !== "answers" && listenButton()) {  // the page read aloud, from any pad
      var again = document.createElement("button");
      again.type = "button"; again.className = "key key-wide key-listen"; again.dataset.key = "LISTEN";
      again.textContent = label("LISTEN");
      node.appendChild(again);
    }
    node.appendChild(close);
    node.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the caret
    node.addEventListener("click", function (event) {
      var key = event.target.dataset && event.target.dataset.key;
      if (!key) { return; }
      if (key === "CLOSE") { hidePad(); return; }
      if (key === "LISTEN") { listen(); return; }
      if (kind === "answers") { answer(key); return; }
      press(key);
    });
    return node;
  }
  function showPad(input, answers) {
    var kind = answers ? "answers" : kindOf(input);
    target = answers ? null : input;
    if (panel && panel.dataset.kind === kind) { panel.hidden = false; body.classList.add("kiosk-pad-open"); return; }
    if (panel) { panel.remove(); }
    panel = build(kind);
    panel.dataset.kind = kind;
    body.appendChild(panel);
    body.classList.add("kiosk-pad-open");
  }
  function hidePad() { if (panel) { panel.hidden = true; } body.classList.remove("kiosk-pad-open"); }
  document.addEventListener("focusin", function (event) {
    if (typeable(event.target)) { showPad(event.target); }
  });
  document.querySelectorAll("main input, main textarea").forEach(function (el) { if (typeable(el)) { kindOf(el); } });

  /* --- The page read aloud (EN 301 549 §5.1.3) ------------------------------------------ */
  /* The server made the words out of this page and named their audio in the Listen control;
     options are numbered in page order, as here. Nothing plays after the visit ends. */
  var voice = null;
  function listenButton() {
    var button = document.getElementById("kiosk-listen");
    return button && button.dataset.kioskSpeech ? button : null;
  }
  function stopSpeech() {
    if (voice) { voice.pause(); voice.removeAttribute("src"); voice.load(); voice = null; }
    var button = document.getElementById("kiosk-listen");
    if (button) { button.setAttribute("aria-pressed", "false"); }
  }
  function listen() {
    var button = listenButton();
    if (!button) { return; }
    stopSpeech();
    voice = new Audio(button.dataset.kioskSpeech);
    voice.addEventListener("ended", function () { button.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    var playing = voice.play();
    if (playing && playing.catch) { playing.catch(function () { /* no sound device */ }); }
    if (options().length || !typeable(document.activeElement)) { showPad(null, true); }
  }
  function options() {
    return Array.prototype.map.call(document.querySelectorAll("main .radio"), function (option) {
      return option.querySelector("input[type=radio]");
    }).filter(Boolean);
  }
  function answer(key) {
    if (key === "OK") {
      var chosen = options().filter(function (input) { return input.checked; })[0];
      var form = chosen ? chosen.form : document.querySelector("main form:not([role=search])");
      var submit = form && form.querySelector("button:not([type=button])");
      stopSpeech();
      if (submit) { submit.click(); }
      return;
    }
    var input = options()[parseInt(key, 10) - 1];
    if (input) { input.checked = true; emit(input); input.focus({ preventScroll: false }); }
  }
  var listenControl = document.getElementById("kiosk-listen");
  if (listenControl && !listenControl.dataset.kioskSpeech) { listenControl.hidden = true; }
  if (listenControl) { listenControl.addEventListener("click", listen); }  // again: from the start
  document.addEventListener("keydown", function (event) {  // a hardware keypad, if the kiosk has one
    if (!panel || panel.hidden || panel.dataset.kind !== "answers" || typeable(event.target)) { return; }
    if (/^[1-9]$/.test(event.key)) { answer(event.key); event.preventDefault(); }
    if (event.key === "Enter") { answer("OK"); event.preventDefault(); }
  });
  /* New options drawn into the page (address results): their words come in a header. */
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var url = xhr && xhr.getResponseHeader("X-Kiosk-Speech");
    if (url && listenControl) { listenControl.dataset.kioskSpeech = url; listenControl.hidden = false; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.matches && event.target.matches("form[action$='/kiosk/finish']")) { stopSpeech(); }
  }, true);
  window.addEventListener("pagehide", stopSpeech);

  /* --- The receipt prints itself (Chromium runs with --kiosk-printing: no dialog) -------- */
  if (document.querySelector("[data-autoprint]") && !navigator.webdriver) {
    window.addEventListener("load", function () { window.print(); });
  }
})();

/* Sign with ЭЦП through NCALayer (wss://127.0.0.1:13579). No inline script needed.
 *
 * HTML contract (messages are rendered, translated, by the server; this only shows/hides them):
 * <section data-ecp-section hidden>      (optional: the whole offer, shown only when JS runs)
 * <form method="post" action="..." data-ecp-sign
 *       data-ecp-text-b64="base64 of the UTF-8 canonical text"
 *       data-ecp-purpose="sign|auth"        (auth: the AUTHENTICATION key, sign-in)
 *       data-ecp-iin="900101300017"          (optional: NCALayer offers only that person's keys)
 *       data-ecp-url, data-ecp-locale, data-ecp-eku="oid,oid",
 *       data-ecp-basics-from="1.4", data-ecp-min-version="1.2"   (all optional)>
 *   <input type="hidden" name="cms">
 *   <button type="submit" data-ecp-start hidden>...</button>   (shown only when JS runs)
 *   <p data-ecp-message="working|not-running|too-old|cancelled|failed" hidden>...</p>
 * </form>
 * Outcome: the CMS goes into input[name=cms] and the form is submitted ("ecp:signed" event
 * first), or one message is shown and "ecp:failed" {detail: {reason}} is dispatched.
 */
(function () {
  "use strict";
  var EKU = {
    sign: ["1.3.6.1.5.5.7.3.4", "1.2.398.3.3.4.1.1"], // emailProtection + individual
    auth: ["1.3.6.1.5.5.7.3.2", "1.2.398.3.3.4.1.1"] // clientAuth + individual
  };

  function atLeast(version, wanted) {
    var a = String(version).split("."), b = String(wanted).split(".");
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      var d = (parseInt(a[i], 10) || 0) - (parseInt(b[i], 10) || 0);
      if (d) return d > 0;
    }
    return true;
  }

  function show(form, name) {
    var all = form.querySelectorAll("[data-ecp-message]");
    for (var i = 0; i < all.length; i++) {
      all[i].hidden = all[i].getAttribute("data-ecp-message") !== name;
    }
  }

  function busy(form, on) {
    var start = form.querySelector("[data-ecp-start]");
    if (start) start.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function emit(form, type, detail) {
    form.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: detail }));
  }

  function fail(form, reason) {
    show(form, reason);
    busy(form, false);
    emit(form, "ecp:failed", { reason: reason });
  }

  function request(d, version) {
    var purpose = d.ecpPurpose === "auth" ? "auth" : "sign";
    if (atLeast(version, d.ecpBasicsFrom || "1.4")) {
      var signer = { extKeyUsageOids: d.ecpEku ? d.ecpEku.split(",") : EKU[purpose] };
      if (d.ecpIin) signer.iin = d.ecpIin;
      return {
        module: "kz.gov.pki.knca.basics", method: "sign",
        args: {
          allowedStorages: null, format: "cms", data: d.ecpTextB64,
          signingParams: { decode: true, encapsulate: true },
          signerParams: signer,
          locale: d.ecpLocale || document.documentElement.lang || "ru"
        }
      };
    }
    return {
      module: "kz.gov.pki.knca.commonUtils", method: "createCAdESFromBase64",
      args: ["PKCS12", purpose === "auth" ? "AUTHENTICATION" : "SIGNATURE", d.ecpTextB64, true]
    };
  }

  function outcome(reply) {
    if (Object.prototype.hasOwnProperty.call(reply, "status")) { // basics
      if (!reply.status) return { reason: "failed" };
      var result = reply.body && reply.body.result;
      if (!result) return { reason: "cancelled" };
      return { cms: Array.isArray(result) ? result[0] : result };
    }
    if (reply.code === "200" && reply.responseObject) return { cms: reply.responseObject };
    return { reason: /cancel/i.test(reply.message || "") ? "cancelled" : "failed" };
  }

  function start(form) {
    var d = form.dataset, stage = "connect", ws, timer;
    function finish(reason) {
      stage = "done";
      clearTimeout(timer);
      try { ws.close(); } catch (e) { /* already closed */ }
      if (reason) fail(form, reason);
    }
    show(form, "working");
    busy(form, true);
    try {
      ws = new WebSocket(d.ecpUrl || "wss://127.0.0.1:13579");
    } catch (e) {
      return fail(form, "not-running");
    }
    timer = setTimeout(function () { if (stage === "connect") finish("not-running"); }, 8000);
    ws.onerror = ws.onclose = function () {
      if (stage !== "done") finish(stage === "connect" ? "not-running" : "failed");
    };
    ws.onmessage = function (msg) {
      var reply;
      try { reply = JSON.parse(msg.data) || {}; } catch (e) { reply = {}; }
      if (stage === "connect") {
        clearTimeout(timer);
        var version = reply.result && reply.result.version;
        if (!version || !atLeast(version, d.ecpMinVersion || "1.2")) return finish("too-old");
        stage = "sign";
        ws.send(JSON.stringify(request(d, version)));
        return;
      }
      if (stage !== "sign") return;
      finish(null);
      var out = outcome(reply);
      if (!out.cms) return fail(form, out.reason);
      form.querySelector("input[name=cms]").value = out.cms;
      emit(form, "ecp:signed", { cms: out.cms });
      HTMLFormElement.prototype.submit.call(form); // even if a field is named "submit"
    };
  }

  function init() {
    var forms = document.querySelectorAll("form[data-ecp-sign]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i], button = form.querySelector("[data-ecp-start]");
      var section = form.closest("[data-ecp-section]");  // hidden without JavaScript
      if (section) section.hidden = false;
      if (button) button.hidden = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (this.getAttribute("aria-busy") !== "true") start(this);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

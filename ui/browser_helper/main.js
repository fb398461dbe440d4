// The raw Streamlit component protocol (postMessage), so no npm package is needed.
(function () {
  "use strict";
  const send = (type, extra) => window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, extra), "*");
  const button = document.getElementById("speak");
  const status = document.getElementById("status");
  let args = {};

  function resize() { send("streamlit:setFrameHeight", { height: document.body.scrollHeight }); }

  // ---- read aloud: the browser's own voices, nothing leaves the phone ------------------------
  function voiceFor(lang) {
    const voices = (window.speechSynthesis && window.speechSynthesis.getVoices()) || [];
    return voices.find(v => (v.lang || "").toLowerCase().split(/[-_]/)[0] === lang) || null;
  }

  function speak() {
    status.textContent = "";
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) { status.textContent = args.no_voice; resize(); return; }
    window.speechSynthesis.cancel();
    const voice = voiceFor(args.lang);
    if (!voice) { status.textContent = args.no_voice; resize(); return; }
    const utterance = new SpeechSynthesisUtterance(args.text);
    utterance.lang = voice.lang;
    utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
    document.body.dataset.spoke = args.lang;  // for tests
  }
  button.addEventListener("click", speak);

  // ---- save while typing: a pause of 1.2 s commits the answer as Ctrl+Enter (text areas) or
  // Enter (text fields) would, so Streamlit stores it without the field losing focus -----------
  const hooked = new WeakSet();
  function commit(el) {
    const isArea = el.tagName === "TEXTAREA";
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode: 13, which: 13,
                                                     ctrlKey: isArea, bubbles: true, cancelable: true }));
  }
  function hook(doc) {
    if (args.upload_label) {
      doc.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach(b => {
        if (b.getAttribute("aria-label") !== args.upload_label) b.setAttribute("aria-label", args.upload_label);
      });
    }
    doc.querySelectorAll('[class*="st-key-ans_"] textarea, [class*="st-key-ans_"] input[type="text"]').forEach(el => {
      if (hooked.has(el)) return;
      hooked.add(el);
      let timer = null;
      el.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => commit(el), 1200); });
    });
  }

  // ---- the tab's memory of its open application: the resume code, the step, whether the code
  // was acknowledged. Only in this tab's sessionStorage (never localStorage, never in the URL):
  // gone when the tab is closed. On a new session (a reload) the page asks for it once. ---------
  const MEMORY = "steunwijzer.application";
  let answered = false;
  function tabMemory() {
    let store = null;
    try { store = window.parent.sessionStorage; } catch (e) { /* another origin or storage off */ }
    const body = (() => { try { return window.parent.document.body; } catch (e) { return null; } })();
    if (args.ask) {
      if (answered) return;
      answered = true;
      let stored = null;
      try { stored = store && JSON.parse(store.getItem(MEMORY) || "null"); } catch (e) { stored = null; }
      // the start screen stays hidden until the page has opened the application again
      if (stored && stored.code && body) {
        body.dataset.steunwijzerResuming = "1";
        setTimeout(() => { delete body.dataset.steunwijzerResuming; }, 8000);  // never hidden for good
      }
      // Only an application to open again is sent back: an answer for an empty tab would start a
      // second run of the page, and a button pressed during that run could be lost.
      if (stored && stored.code) send("streamlit:setComponentValue", { value: stored, dataType: "json" });
      return;
    }
    if (body) delete body.dataset.steunwijzerResuming;
    if (!store) return;
    try {
      if (args.keep) store.setItem(MEMORY, JSON.stringify(args.keep));
      else store.removeItem(MEMORY);
    } catch (e) { /* storage full or off: a reload then asks for the code, as before */ }
  }

  window.addEventListener("message", event => {
    if (!event.data || event.data.type !== "streamlit:render") return;
    args = event.data.args || {};
    if (args.mode === "speak") {
      button.hidden = false;
      button.textContent = "🔊 " + args.label;
      button.setAttribute("aria-label", args.label);
      button.lang = args.ui_lang || "";
      document.documentElement.dir = args.rtl ? "rtl" : "ltr";
    } else if (args.mode === "scroll") {
      // once per new `when`: a rerun with the same results leaves the reader where they are
      const done = "steunwijzerScrolled";
      try {
        const doc = window.parent.document;
        if (doc.body.dataset[done] !== String(args.when)) {
          doc.body.dataset[done] = String(args.when);
          setTimeout(() => {
            const el = doc.querySelector(args.target);
            if (el) el.scrollIntoView({ block: "start" });
          }, 150);
        }
      } catch (e) { /* another origin: nothing to do */ }
    } else if (args.mode === "tab") {
      tabMemory();
    } else {
      try {
        const doc = window.parent.document;
        hook(doc);
        new MutationObserver(() => hook(doc)).observe(doc.body, { childList: true, subtree: true });
      } catch (e) { /* another origin: nothing to do */ }
    }
    resize();
  });
  if (window.speechSynthesis) window.speechSynthesis.onvoiceschanged = () => {};
  send("streamlit:componentReady", { apiVersion: 1 });
})();

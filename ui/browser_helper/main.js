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
    doc.querySelectorAll('[class*="st-key-ans_"] textarea, [class*="st-key-ans_"] input[type="text"], ' +
                        '[class*="st-key-reply_"] textarea').forEach(el => {
      if (hooked.has(el)) return;
      hooked.add(el);
      let timer = null;
      el.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => commit(el), 1200); });
    });
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

/* The phone page. Plain ES5 for old phone browsers: no framework, no build, no network but
   the laptop. It draws only what the laptop sends: nothing is known here before it is revealed.
   Every text from the laptop is set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var KEY = "coprod:" + location.pathname;
  // Every word this page shows comes from the laptop, in the phone's language (see page.py).
  var S = readStrings();
  var view = null;          // the last view the laptop sent
  var version = -1;
  var drawn = "";           // what the screen was drawn for, to redraw only on a real change
  var matrixAt = 0;         // which box of the matrix is on show
  var pending = {};         // question -> choice being sent
  var local = load();       // {voter: "", mine: {}} kept on this phone (and its other tabs)
  var source = null;
  var streamFailures = 0;
  var pollTimer = null;
  var lastMessage = 0;
  var trustAfter = -1;      // views up to this version may predate this phone's own choice

  function readStrings() {
    try { return JSON.parse(document.getElementById("strings").textContent) || {}; } catch (e) { return {}; }
  }

  function t(key, fields) {
    var text = S[key] || key, name;
    for (name in fields) {
      if (fields.hasOwnProperty(name)) { text = text.split("{" + name + "}").join(String(fields[name])); }
    }
    return text;
  }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { voter: saved.voter || "", side: saved.side || "", mine: saved.mine || {} };
    } catch (e) {
      return { voter: "", side: "", mine: {} };
    }
  }

  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(local)); } catch (e) { /* private mode */ }
  }

  function byId(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    var name;
    for (name in attrs) {
      if (attrs.hasOwnProperty(name)) { node.setAttribute(name, attrs[name]); }
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function say(text, kind) {
    var status = byId("status");
    status.className = "status" + (kind ? " " + kind : "");
    status.textContent = "";
    // A fresh text node so screen readers announce a repeat of the same words.
    setTimeout(function () { status.textContent = text; }, 30);
  }

  function nonce() {
    var bytes = [], i, out = "";
    if (window.crypto && window.crypto.getRandomValues) {
      var buf = new Uint8Array(12);
      window.crypto.getRandomValues(buf);
      for (i = 0; i < buf.length; i++) { bytes.push(buf[i]); }
    } else {
      for (i = 0; i < 12; i++) { bytes.push(Math.floor(Math.random() * 256)); }
    }
    for (i = 0; i < bytes.length; i++) { out += ("0" + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  // ------------------------------------------------------------------ talking to the laptop

  function post(path, body, done) {
    body.id = body.id || nonce();
    var tries = 0;
    function attempt() {
      tries += 1;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", path, true);
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.timeout = 15000;
      xhr.onreadystatechange = function () {
        if (xhr.readyState !== 4) { return; }
        var answer = {};
        try { answer = JSON.parse(xhr.responseText || "{}"); } catch (e) { answer = {}; }
        if (xhr.status === 200) { done(true, answer); return; }
        // Not saved yet, busy or no network: send the same request again (same id: recorded once).
        if ((xhr.status === 0 || xhr.status === 503 || xhr.status === 429) && tries < 8) {
          setTimeout(attempt, Math.min(8000, 500 * tries * tries));
          return;
        }
        done(false, answer);
      };
      xhr.send(JSON.stringify(body));
    }
    attempt();
  }

  function receive(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return; }
    if (!data || !data.view) { return; }
    lastMessage = new Date().getTime();
    linkOk();
    version = data.version;
    view = data.view;
    // The laptop says who this phone votes as (and its group): it may have let the phone
    // choose again. A view older than this phone's own choice is not trusted on that.
    if (data.version > trustAfter) {
      var voter = view.voter || "", side = view.side || "";
      var wasChosen = (local.voter && needsPersonMode()) || (local.side && view.mode === "anonymous");
      if (voter !== local.voter && needsPersonMode()) {
        local.voter = voter;
        local.mine = {};
      }
      if (view.mode === "anonymous" && side !== local.side) { local.side = side; }
      if (wasChosen && !local.voter && !local.side) { say(t("chooseAgain")); }
    }
    var mine = view.mine || {}, q;
    for (q in mine) { if (mine.hasOwnProperty(q)) { local.mine[q] = mine[q]; } }
    save();
    draw();
  }

  function needsPersonMode() { return view && (view.mode === "named" || view.mode === "secret"); }

  function linkOk() { byId("link").textContent = t("connected"); }

  function linkLost() { byId("link").textContent = t("lost"); }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "state", true);
    xhr.timeout = 10000;
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) { receive(xhr.responseText); } else if (xhr.status === 403) { unknown(); } else { linkLost(); }
    };
    xhr.send(null);
  }

  function unknown() { byId("link").textContent = t("unknown"); }

  function startPolling() {
    if (pollTimer) { return; }
    poll();
    pollTimer = setInterval(poll, 2000);
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    source = new window.EventSource("events");
    source.onmessage = function (event) { streamFailures = 0; receive(event.data); };
    source.onerror = function () {
      linkLost();
      streamFailures += 1;
      // Some networks and old browsers break event streams: fall back to plain polling.
      if (streamFailures >= 4) {
        source.close();
        source = null;
        startPolling();
      }
    };
  }

  // A phone that slept catches up at once when it is looked at again.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { poll(); }
  });

  // ------------------------------------------------------------------ drawing

  function questions() {
    return (view && view.screen && view.screen.questions) || [];
  }

  function needsPerson() {
    return needsPersonMode() && !personName(local.voter);
  }

  function needsSide() {
    return view && view.mode === "anonymous" && (view.sides || []).length > 0 && !sideName(local.side);
  }

  function sideName(value) {
    var sides = (view && view.sides) || [], i;
    for (i = 0; i < sides.length; i++) { if (sides[i].value === value) { return sides[i].label; } }
    return "";
  }

  function personName(id) {
    var people = (view && view.people) || [], i;
    for (i = 0; i < people.length; i++) { if (people[i].id === id) { return people[i].name; } }
    return "";
  }

  function draw() {
    byId("room").textContent = view.title || t("workshop");
    var who = byId("who");
    if (view.mode === "named" && personName(local.voter)) {
      who.textContent = t("votingAs", { name: personName(local.voter) });
      who.hidden = false;
    } else if (view.mode === "secret") {
      var name = personName(local.voter);
      who.textContent = name ? t("secretFor", { name: name }) : t("secret");
      who.hidden = false;
    } else if (view.mode === "anonymous") {
      who.textContent = sideName(local.side) && local.side !== "other"
        ? t("anonymousSide", { group: sideName(local.side) }) : t("anonymous");
      who.hidden = false;
    } else {
      who.hidden = true;
    }
    byId("note-box").hidden = !view.notes || needsPerson() || needsSide();
    var screen = view.screen || { kind: "waiting" };
    var progress = screen.progress || "";
    // "N have voted" changes often: it is updated in place, not a reason to redraw the screen.
    var still = {}, name;
    for (name in screen) { if (screen.hasOwnProperty(name) && name !== "progress") { still[name] = screen[name]; } }
    var shape = JSON.stringify([still, view.mode, view.people, needsPerson(), needsSide(), view.sides]);
    if (shape !== drawn) {
      var first = drawn === "";
      var sameQuestions = drawn !== "" && JSON.parse(drawn)[0].kind === screen.kind;
      var shown = sameQuestions ? (JSON.parse(drawn)[0].questions || [])[matrixAt] : null;
      drawn = shape;
      if (!sameQuestions) { matrixAt = firstUnanswered(); }
      render(screen);
      if (!first && !sameQuestions) { byId("screen-title").focus(); }
      if (screen.kind === "matrix" && sameQuestions) { showResult(!!(shown && shown.result)); }
    } else {
      markChoices();
      var counter = byId("room-progress");
      if (counter) { counter.textContent = progress; }
    }
  }

  function firstUnanswered() {
    var list = questions(), i;
    for (i = 0; i < list.length; i++) { if (local.mine[list[i].key] === undefined) { return i; } }
    return 0;
  }

  function render(screen) {
    var box = byId("screen");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (needsPerson()) { renderPeople(box); return; }
    if (needsSide()) { renderSides(box); return; }
    if (screen.kind === "waiting" || !questions().length) {
      box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, t("waitingTitle")));
      box.appendChild(el("p", { "class": "lead" }, t("waitingText")));
      return;
    }
    box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, screen.title || ""));
    if (screen.text) { box.appendChild(el("p", { "class": "lead" }, screen.text)); }
    box.appendChild(el("p", { "class": "hint", id: "room-progress" }, screen.progress || ""));
    if (screen.kind === "matrix") { renderMatrix(box); return; }
    var list = questions(), i;
    for (i = 0; i < list.length; i++) { box.appendChild(renderQuestion(list[i], i, screen.kind)); }
  }

  function renderPeople(box) {
    box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, t("whoTitle")));
    box.appendChild(el("p", { "class": "lead" }, view.mode === "secret" ? t("whoSecret") : t("whoNamed")));
    var people = view.people || [], i;
    for (i = 0; i < people.length; i++) {
      (function (person) {
        var button = el("button", { type: "button", "class": "choice" }, person.name);
        button.onclick = function () {
          say(t("sending"));
          post("join", { voter: person.id }, function (ok, answer) {
            if (ok) {
              if (local.voter !== person.id) { local.mine = {}; }  // another person's answers are not theirs
              local.voter = person.id;
              trustAfter = answer.version;
              save();
              say(t("joined", { name: person.name }), "ok");
              drawn = "";
              draw();
            } else {
              say(answer.error || t("tryAgain"), "bad");
            }
          });
        };
        box.appendChild(button);
      })(people[i]);
    }
  }

  function renderSides(box) {
    box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, t("groupTitle")));
    box.appendChild(el("p", { "class": "lead" }, t("groupText")));
    var sides = view.sides || [], i;
    for (i = 0; i < sides.length; i++) {
      (function (side) {
        var button = el("button", { type: "button", "class": "choice" }, side.label);
        button.onclick = function () {
          say(t("sending"));
          post("join", { side: side.value }, function (ok, answer) {
            if (ok) {
              local.side = side.value;
              trustAfter = answer.version;
              save();
              say(t("groupSaid"), "ok");
              drawn = "";
              draw();
            } else {
              say(answer.error || t("tryAgain"), "bad");
            }
          });
        };
        box.appendChild(button);
      })(sides[i]);
    }
  }

  function renderQuestion(q, index, kind) {
    var group = el("div", {
      "class": "group" + (q.closed ? " closed" : ""), role: "group", "aria-labelledby": "q" + index
    });
    group.appendChild(el("h3", { id: "q" + index }, q.title || ""));
    if (q.subtitle) { group.appendChild(el("p", { "class": "subtitle" }, q.subtitle)); }
    // Once revealed, the room's result comes first, under the question's name, where a phone
    // sees it without scrolling; the choices follow, closed and compact.
    if (q.result) { group.appendChild(el("p", { "class": "result", id: "result" + index }, q.result)); }
    if (q.text) { group.appendChild(el("p", { "class": "hint" }, q.text)); }
    var choices = q.choices || (view.screen && view.screen.choices) || [], i;
    for (i = 0; i < choices.length; i++) {
      var button = choiceButton(q, choices[i]);
      // A revealed question is closed: its answer stays marked, nothing more can be sent.
      if (q.closed) { button.disabled = true; }
      group.appendChild(button);
    }
    return group;
  }

  // The result of the box on show, when it was revealed since the screen was last drawn, is
  // brought into sight: a phone scrolled down to its last choice sees it without scrolling.
  function showResult(wasRevealed) {
    var q = questions()[matrixAt];
    if (!q || !q.result || wasRevealed) { return; }
    var result = byId("result" + matrixAt), footer = document.querySelector(".bottom");
    if (!result || !result.getBoundingClientRect) { return; }
    var box = result.getBoundingClientRect();
    var bottom = footer ? footer.getBoundingClientRect().top : window.innerHeight;
    if (box.top < 0 || box.bottom > bottom) {
      byId("q" + matrixAt).scrollIntoView(true);
    }
  }

  function renderMatrix(box) {
    var list = questions();
    if (matrixAt >= list.length) { matrixAt = list.length - 1; }
    var q = list[matrixAt];
    box.appendChild(el("p", { "class": "progress", id: "matrix-progress" }, progressText()));
    box.appendChild(renderQuestion(q, matrixAt, "matrix"));
    var nav = el("div", { "class": "nav" });
    var back = el("button", { type: "button", id: "previous" }, t("previous"));
    var next = el("button", { type: "button", id: "next" }, t("next"));
    back.disabled = matrixAt === 0;
    next.disabled = matrixAt >= list.length - 1;
    back.onclick = function () { moveMatrix(-1); };
    next.onclick = function () { moveMatrix(1); };
    nav.appendChild(back);
    nav.appendChild(next);
    box.appendChild(nav);
  }

  function progressText() {
    var list = questions(), done = 0, i;
    for (i = 0; i < list.length; i++) { if (local.mine[list[i].key] !== undefined) { done += 1; } }
    return t("boxOf", { n: matrixAt + 1, total: list.length, done: done });
  }

  function moveMatrix(step) {
    matrixAt = Math.max(0, Math.min(questions().length - 1, matrixAt + step));
    render(view.screen);
    byId("q" + matrixAt).setAttribute("tabindex", "-1");
    byId("q" + matrixAt).focus();
  }

  function choiceButton(q, choice) {
    var button = el("button", { type: "button", "class": "choice", "data-question": q.key, "data-choice": choice.value });
    button.appendChild(el("span", { "class": "mark", "aria-hidden": "true" }));
    button.appendChild(document.createTextNode(choice.label));
    button.onclick = function () { vote(q, choice); };
    markButton(button);
    return button;
  }

  function markButton(button) {
    var q = button.getAttribute("data-question");
    var chosen = pending[q] !== undefined ? pending[q] : local.mine[q];
    var on = chosen === button.getAttribute("data-choice");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.firstChild.textContent = on ? (pending[q] !== undefined ? "…" : "✓") : "";
  }

  function markChoices() {
    var buttons = document.querySelectorAll("button.choice[data-question]"), i;
    for (i = 0; i < buttons.length; i++) { markButton(buttons[i]); }
    var progress = byId("matrix-progress");
    if (progress) { progress.textContent = progressText(); }
  }

  function vote(q, choice) {
    pending[q.key] = choice.value;
    markChoices();
    say(t("sending"));
    post("vote", { question: q.key, choice: choice.value, voter: local.voter }, function (ok, answer) {
      delete pending[q.key];
      if (ok) {
        local.mine[q.key] = choice.value;
        save();
        say(t("received", { choice: choice.label }), "ok");
      } else {
        say(answer.error || t("voteLost"), "bad");
      }
      markChoices();
    });
  }

  byId("note-form").onsubmit = function (event) {
    event.preventDefault();
    var text = byId("note-text");
    if (!text.value.replace(/\s+/g, "")) { say(t("writeFirst"), "bad"); return false; }
    byId("note-send").disabled = true;
    say(t("sending"));
    post("note", { text: text.value }, function (ok, answer) {
      byId("note-send").disabled = false;
      if (ok) {
        text.value = "";
        say(t("noteReceived"), "ok");
      } else {
        say(answer.error || t("noteLost"), "bad");
      }
    });
    return false;
  };

  connect();
  // If the stream says nothing for a while (a proxy holding it back), ask directly.
  setInterval(function () {
    if (!pollTimer && new Date().getTime() - lastMessage > 20000) { poll(); }
  }, 5000);
}());

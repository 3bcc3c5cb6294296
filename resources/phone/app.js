/* The phone page. Plain ES5 for old phone browsers: no framework, no build, no network but
   the laptop. It draws only what the laptop sends: nothing is known here before it is revealed.
   Every text from the laptop is set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var KEY = "coprod:" + location.pathname;
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

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { voter: saved.voter || "", mine: saved.mine || {} };
    } catch (e) {
      return { voter: "", mine: {} };
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
    if (view.voter !== undefined && view.voter !== "") { local.voter = view.voter; }
    var mine = view.mine || {}, q;
    for (q in mine) { if (mine.hasOwnProperty(q)) { local.mine[q] = mine[q]; } }
    save();
    draw();
  }

  function linkOk() { byId("link").textContent = "Connected to the laptop."; }

  function linkLost() { byId("link").textContent = "Lost the laptop; trying again…"; }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "state", true);
    xhr.timeout = 10000;
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) { receive(xhr.responseText); } else { linkLost(); }
    };
    xhr.send(null);
  }

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
    return view && (view.mode === "named" || view.mode === "secret") && !personName(local.voter);
  }

  function personName(id) {
    var people = (view && view.people) || [], i;
    for (i = 0; i < people.length; i++) { if (people[i].id === id) { return people[i].name; } }
    return "";
  }

  function draw() {
    byId("room").textContent = view.title || "Workshop voting";
    var who = byId("who");
    if (view.mode === "named" && personName(local.voter)) {
      who.textContent = "Voting as " + personName(local.voter);
      who.hidden = false;
    } else if (view.mode === "secret") {
      var name = personName(local.voter);
      who.textContent = "Secret ballot" + (name ? " for " + name : "") + ": your name is never kept with your answers.";
      who.hidden = false;
    } else if (view.mode === "anonymous") {
      who.textContent = "Anonymous: only the counts are kept.";
      who.hidden = false;
    } else {
      who.hidden = true;
    }
    byId("note-box").hidden = !view.notes || needsPerson();
    var screen = view.screen || { kind: "waiting" };
    var progress = screen.progress || "";
    // "N have voted" changes often: it is updated in place, not a reason to redraw the screen.
    var still = {}, name;
    for (name in screen) { if (screen.hasOwnProperty(name) && name !== "progress") { still[name] = screen[name]; } }
    var shape = JSON.stringify([still, view.mode, view.people, needsPerson()]);
    if (shape !== drawn) {
      var first = drawn === "";
      var sameQuestions = drawn !== "" && JSON.parse(drawn)[0].kind === screen.kind;
      drawn = shape;
      if (!sameQuestions) { matrixAt = firstUnanswered(); }
      render(screen);
      if (!first && !sameQuestions) { byId("screen-title").focus(); }
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
    if (screen.kind === "waiting" || !questions().length) {
      box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, "Waiting for the facilitator"));
      box.appendChild(el("p", { "class": "lead" }, "The next question will appear here by itself. Keep this page open."));
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
    box.appendChild(el("h2", { id: "screen-title", tabindex: "-1" }, "Who are you?"));
    box.appendChild(el("p", { "class": "lead" }, view.mode === "secret"
      ? "Choose your name once. It only marks that you have voted; your answers are counted without it."
      : "Choose your name once. Your votes go with it."));
    var people = view.people || [], i;
    for (i = 0; i < people.length; i++) {
      (function (person) {
        var button = el("button", { type: "button", "class": "choice" }, person.name);
        button.onclick = function () {
          say("Sending…");
          post("join", { voter: person.id }, function (ok, answer) {
            if (ok) {
              local.voter = person.id;
              save();
              say("✓ You are voting as " + person.name, "ok");
              drawn = "";
              draw();
            } else {
              say(answer.error || "That did not work; try again.", "bad");
            }
          });
        };
        box.appendChild(button);
      })(people[i]);
    }
  }

  function renderQuestion(q, index, kind) {
    var group = el("div", { "class": "group", role: "group", "aria-labelledby": "q" + index });
    var heading = kind === "scenario" ? "h3" : "h3";
    group.appendChild(el(heading, { id: "q" + index }, q.title || ""));
    if (q.subtitle) { group.appendChild(el("p", { "class": "subtitle" }, q.subtitle)); }
    if (q.text) { group.appendChild(el("p", { "class": "hint" }, q.text)); }
    var choices = q.choices || (view.screen && view.screen.choices) || [], i;
    for (i = 0; i < choices.length; i++) {
      var button = choiceButton(q, choices[i]);
      // A revealed question is closed: its answer stays marked, nothing more can be sent.
      if (q.closed) { button.disabled = true; }
      group.appendChild(button);
    }
    if (q.result) { group.appendChild(el("p", { "class": "result" }, q.result)); }
    return group;
  }

  function renderMatrix(box) {
    var list = questions();
    if (matrixAt >= list.length) { matrixAt = list.length - 1; }
    var q = list[matrixAt];
    box.appendChild(el("p", { "class": "progress", id: "matrix-progress" }, progressText()));
    box.appendChild(renderQuestion(q, matrixAt, "matrix"));
    var nav = el("div", { "class": "nav" });
    var back = el("button", { type: "button", id: "previous" }, "← Previous");
    var next = el("button", { type: "button", id: "next" }, "Next →");
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
    return "Box " + (matrixAt + 1) + " of " + list.length + " · " + done + " rated";
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
    say("Sending…");
    post("vote", { question: q.key, choice: choice.value, voter: local.voter }, function (ok, answer) {
      delete pending[q.key];
      if (ok) {
        local.mine[q.key] = choice.value;
        save();
        say("✓ received: " + choice.label, "ok");
      } else {
        say(answer.error || "Your vote did not reach the laptop; try again.", "bad");
      }
      markChoices();
    });
  }

  byId("note-form").onsubmit = function (event) {
    event.preventDefault();
    var text = byId("note-text");
    if (!text.value.replace(/\s+/g, "")) { say("Write something first.", "bad"); return false; }
    byId("note-send").disabled = true;
    say("Sending…");
    post("note", { text: text.value }, function (ok, answer) {
      byId("note-send").disabled = false;
      if (ok) {
        text.value = "";
        say("✓ received: your note waits for the facilitator.", "ok");
      } else {
        say(answer.error || "Your note did not reach the laptop; try again.", "bad");
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

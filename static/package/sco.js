// A lesson of a SCORM 1.2 package: it tells the learning platform (the LMS) what the learner
// does, and grades the lesson's quiz here, offline, from the answer key in the page (a package
// cannot keep answers secret). Grading is learning/content/question_kinds.py's, kind by kind;
// tests/test_scorm_export.py checks that both give the same credit for the same answers.
(function (root) {
  "use strict";

  // --- Grading (no DOM: also run by Node in the tests) -----------------------------------

  var QUOTES = { "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                 "\u2014": "-", "\u2212": "-" };
  // Decimal digits of the scripts learners type in, as ASCII (Python's float reads them).
  var DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0xff10];

  function quotes(text) {
    return text.replace(/[\u2019\u2018\u201c\u201d\u2013\u2014\u2212]/g, function (c) { return QUOTES[c]; });
  }

  function asciiDigits(text) {
    return text.replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19]/g, function (c) {
      var code = c.charCodeAt(0);
      for (var i = 0; i < DIGIT_ZEROS.length; i++) {
        if (code >= DIGIT_ZEROS[i] && code <= DIGIT_ZEROS[i] + 9) return String(code - DIGIT_ZEROS[i]);
      }
      return c;
    });
  }

  // Fold case and accents, collapse spaces, drop punctuation at both ends (answers.normalize_text).
  function normalizeText(text) {
    var folded = text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/ς/g, "σ");
    folded = quotes(folded).split(/\s+/).filter(Boolean).join(" ");
    return folded.replace(/^\p{P}+/u, "").replace(/\p{P}+$/u, "").trim();
  }

  function isGrouped(digits, separator) {
    if (digits.indexOf(separator) < 0) return /^\d+$/.test(digits);
    return /^[1-9]\d{0,2}(?:S\d{3})+$/.test(digits.split(separator).join("S"));
  }

  // Every value a typed number may mean: "2,5" -> 2.5; "2,500" -> 2.5 or 2500 (answers.number_candidates).
  function numberCandidates(text) {
    var compact = asciiDigits(quotes(text)).replace(/\s+/g, "").replace(/'/g, "").replace(/_/g, "");
    if (compact.length > 40 || !/^[+-]?[\d.,]*\d[\d.,]*%?$/.test(compact)) return [];
    var sign = compact.charAt(0) === "-" ? -1 : 1;
    var digits = compact.replace(/^[+-]+/, "").replace(/%+$/, "");
    var commas = digits.split(",").length - 1, dots = digits.split(".").length - 1;
    if (commas && dots) {
      var decimal = digits.lastIndexOf(",") > digits.lastIndexOf(".") ? "," : ".";
      var thousands = decimal === "," ? "." : ",";
      var at = digits.lastIndexOf(decimal);
      var whole = digits.slice(0, at), fraction = digits.slice(at + 1);
      if (whole.indexOf(decimal) >= 0 || !isGrouped(whole, thousands)) return [];
      return [sign * parseFloat(whole.split(thousands).join("") + "." + fraction)];
    }
    var separator = commas ? "," : dots ? "." : "";
    if (!separator) return [sign * parseFloat(digits)];
    var found = [];
    if (isGrouped(digits, separator)) found.push(sign * parseFloat(digits.split(separator).join("")));
    if ((commas || dots) === 1) {
      var parts = digits.split(separator);
      if (parts[1]) found.push(sign * parseFloat((parts[0] || "0") + "." + parts[1]));
    }
    return found;
  }

  // The share of the question's mark an answer earns (0 to 1). ``given``: the choice ids picked,
  // the text typed, or the value of each select, as the form holds them.
  function credit(key, given) {
    if (key.kind === "choices") {
      var picked = (given || []).slice().sort().join(",");
      return picked === key.correct.slice().sort().join(",") ? 1 : 0;
    }
    if (key.kind === "text") {
      var typed = normalizeText(given || "");
      return typed && key.accepted.indexOf(typed) >= 0 ? 1 : 0;
    }
    if (key.kind === "number") {
      var values = numberCandidates(given || ""), slack = key.tolerance + 1e-9;
      return values.some(function (value) {
        return key.numbers.some(function (target) { return Math.abs(value - target) <= slack; });
      }) ? 1 : 0;
    }
    var right = key.selects.filter(function (value, n) { return (given || [])[n] === value; }).length;
    if (key.partial) return right / key.selects.length;
    return right === key.selects.length ? 1 : 0;
  }

  // The score in percent, rounded down, and whether it passes (grading.grade).
  function grade(quiz, answers) {
    var earned = 0;
    var results = quiz.questions.map(function (key) {
      var share = credit(key, answers[key.id]);
      earned += share;
      return { id: key.id, credit: share };
    });
    var total = results.length;
    var score = total ? Math.floor(earned * 100 / total + 1e-9) : 0;
    return { score: score, passed: total > 0 && earned * 100 + 1e-9 >= quiz.pass_mark * total,
             results: results };
  }

  var grading = { normalizeText: normalizeText, numberCandidates: numberCandidates,
                  credit: credit, grade: grade };
  if (typeof module !== "undefined" && module.exports) { module.exports = grading; return; }

  // --- The LMS (SCORM 1.2 run-time API), when there is one -------------------------------

  function findApi(win) {
    for (var hops = 0; win && hops < 12; hops++) {
      if (win.API) return win.API;
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  var api = null;
  try { api = findApi(root) || (root.opener && findApi(root.opener)); } catch (e) { api = null; }
  var started = false;
  if (api) {
    started = api.LMSInitialize("") === "true" || String(api.LMSGetLastError()) === "101";
  }
  function get(name) { return started ? String(api.LMSGetValue(name) || "") : ""; }
  function set(name, value) { if (started) api.LMSSetValue(name, String(value)); }
  function commit() { if (started) api.LMSCommit(""); }
  // Browse and review: the learner looks; nothing they do changes their record.
  var mode = get("cmi.core.lesson_mode");
  var recording = started && mode !== "browse" && mode !== "review";

  var page = document.documentElement;
  var language = page.getAttribute("lang");
  var status = get("cmi.core.lesson_status");
  if (recording) {
    if (!status || status === "not attempted") set("cmi.core.lesson_status", "incomplete");
    set("cmi.core.lesson_location", language);
    commit();
  }
  var saved = {};
  try { saved = JSON.parse(get("cmi.suspend_data") || "{}") || {}; } catch (e) { saved = {}; }

  // Another language of the same lesson is the same session: no LMSFinish on the way there.
  var switching = false;
  document.querySelectorAll("a.language-switch").forEach(function (link) {
    link.addEventListener("click", function () { switching = true; });
  });
  root.addEventListener("pagehide", function () {
    if (started && !switching) { commit(); api.LMSFinish(""); started = false; }
  });

  var notice = document.getElementById("sco-offline");
  if (notice) notice.hidden = Boolean(api);

  var done = document.getElementById("sco-complete");
  function completed() {
    done.hidden = true;
    document.getElementById("sco-completed").hidden = false;
  }
  if (done) {
    if (status === "completed" || status === "passed") completed();
    done.addEventListener("click", function () {
      if (recording) { set("cmi.core.lesson_status", "completed"); commit(); }
      completed();
    });
  }

  // --- The quiz ---------------------------------------------------------------------------

  var form = document.getElementById("sco-quiz");
  var keyNode = document.getElementById("sco-answer-key");
  if (!form || !keyNode) return;
  var quiz = JSON.parse(keyNode.textContent);

  function answersIn(formNode) {
    var answers = {};
    quiz.questions.forEach(function (key) {
      if (key.kind === "choices") {
        answers[key.id] = Array.prototype.map.call(
          formNode.querySelectorAll('input[name="' + key.id + '"]:checked'), function (i) { return i.value; });
      } else if (key.kind === "text" || key.kind === "number") {
        var input = formNode.querySelector('input[name="' + key.id + '"]');
        answers[key.id] = input ? input.value : "";
      } else {
        answers[key.id] = key.selects.map(function (_, n) {
          var select = formNode.querySelector('select[name="' + key.id + "-" + (n + 1) + '"]');
          return select ? select.value : "";
        });
      }
    });
    return answers;
  }

  function restore(answers) {
    quiz.questions.forEach(function (key) {
      var given = answers[key.id];
      if (given === undefined) return;
      if (key.kind === "choices") {
        form.querySelectorAll('input[name="' + key.id + '"]').forEach(function (input) {
          input.checked = given.indexOf(input.value) >= 0;
        });
      } else if (key.kind === "text" || key.kind === "number") {
        var input = form.querySelector('input[name="' + key.id + '"]');
        if (input) input.value = given;
      } else {
        given.forEach(function (value, n) {
          var select = form.querySelector('select[name="' + key.id + "-" + (n + 1) + '"]');
          if (select) select.value = value;
        });
      }
    });
  }

  function show(result) {
    var box = document.getElementById("sco-result");
    box.hidden = false;
    box.querySelector(".sco-score").textContent = String(result.score);
    box.querySelector(".sco-passed").hidden = !(quiz.graded && result.passed);
    box.querySelector(".sco-failed").hidden = !(quiz.graded && !result.passed);
    result.results.forEach(function (item) {
      var mark = document.getElementById("sco-mark-" + item.id);
      if (!mark) return;
      mark.hidden = false;
      mark.querySelector(".sco-right").hidden = item.credit !== 1;
      mark.querySelector(".sco-partly").hidden = !(item.credit > 0 && item.credit < 1);
      mark.querySelector(".sco-wrong").hidden = item.credit !== 0;
    });
    box.focus();
  }

  if (saved.answers) {
    restore(saved.answers);
    show(grade(quiz, saved.answers));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = answersIn(form);
    var result = grade(quiz, answers);
    show(result);
    if (!recording) return;
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", result.score);
    var best = status === "passed" && quiz.graded;  // a later failed try does not undo a pass
    if (!best) {
      set("cmi.core.lesson_status", quiz.graded ? (result.passed ? "passed" : "failed") : "completed");
      status = quiz.graded ? (result.passed ? "passed" : "failed") : "completed";
    }
    set("cmi.suspend_data", JSON.stringify({ answers: answers }).slice(0, 4096));
    commit();
  });
})(typeof window !== "undefined" ? window : this);

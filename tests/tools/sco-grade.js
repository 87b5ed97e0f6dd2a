// Grade answers with the SCORM package's own grader (static/package/sco.js), for
// tests/test_scorm_export.py: reads {"cases": [[key, given]...], "texts": [...], "numbers": [...]}
// on stdin, writes {"credits": [...], "texts": [...], "numbers": [[...]...]} on stdout.
const grading = require("../../static/package/sco.js");
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { cases, texts, numbers } = JSON.parse(input);
  process.stdout.write(JSON.stringify({
    credits: cases.map(([key, given]) => grading.credit(key, given)),
    texts: texts.map(grading.normalizeText),
    numbers: numbers.map((text) => grading.numberCandidates(text).sort((a, b) => a - b)),
  }));
});

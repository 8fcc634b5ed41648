// Prints "N passed, N failed" from vitest's JSON report as the last line, and fails the build when vitest
// failed, the report is missing, no test ran, or any test or test file failed.
import { readFileSync } from "node:fs";

const [reportPath, vitestStatus] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(readFileSync(reportPath, "utf8"));
} catch (error) {
  console.error(`no readable vitest report at ${reportPath}: ${error.message}`);
  console.log("0 passed, 0 failed");
  process.exit(1);
}
const { numPassedTests: passed, numFailedTests: failed, numTotalTests: total, success } = report;
const problems = [
  vitestStatus !== "0" && `vitest exited with status ${vitestStatus}`,
  total === 0 && "no test ran",
  success === false && "vitest reports failures (a test, or a test file that did not load)",
].filter(Boolean);
for (const problem of problems) console.error(problem);
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);

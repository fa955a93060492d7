// The prose parts of BENCHMARKS.md: what the figures led to change, and what they assume.

export const FIXED = `## What the figures led to change (before → after, same machine)

- **Planning estimated the shared prompt once per request** (src/cost/tokens.ts). \`planRequests\` ran the
  token heuristic over the system prompt and the output schema for every request, and the heuristic's
  Unicode regex ran at ~12 MB/s. The parts shared by every request are now estimated once (memoised),
  and pure-ASCII text takes a char-code scan that gives the identical count (checked on 532 files: same
  result, ~5x faster). gather + plan + serialise of 10,000 files: **13.2 s → 6.8 s** (target 10 s).
- **A batch was created from one 256 MB string** (src/batch/client.ts \`createBatch\`). The SDK stringified
  the whole body, then fetch copied it. The body is now streamed in ~1 MB chunks with an exact
  content-length (the SDK's \`body\` request option). 100,000 requests (770 MB, 4 batches): peak RSS
  **2,634 MB → 1,243 MB**, create time **25.2 s → 16.6 s**.
- **Reading results was quadratic** (src/batch/client.ts \`results\`). @actions/http-client imports the npm
  undici, which installs its Agent as the global dispatcher of \`fetch\`; when the consumer of a response
  body pauses (collect reads git, redacts and normalises per line), the socket keeps buffering and each
  resume re-concatenates the whole backlog. The results are now copied to a temporary file as fast as
  they arrive (synchronous 1 MB writes: awaiting 'drain' pauses the body just the same), then read back
  line by line. 30,000 result lines: **24.4 s → 0.8 s**; collect of 100,000 results: **670 s → 56 s**,
  peak RSS **1,215 MB → ~1,060 MB**.`;

export const ASSUMPTIONS = `## What the figures assume

- Synthetic repositories: TypeScript-like files of 24-320 lines made of small functions; the head commit
  edits 1-3 functions in 90% of the files and adds the other 10%. Built with one \`git fast-import\` stream.
  gather runs with max-files 100,000 (every file), not the default 300.
- Submit: 100,000 files of ~60 lines, one request each (code-review, real prompts and schema); planning
  time is shown but not counted in the submit time. The emulator enforces 100,000 requests and 256 MB.
- Collect: one batch; the emulator's bench responder writes 0-3 findings per answer (mean 1.0) with a
  paragraph of explanation, ~1.4 KB of answer per line; collect reads every reviewed file back from git.
  Without GitHub, collect writes results.jsonl, report.md, results.json and the summary.
- GitHub: the writes are counted with the 1 s spacing between writes turned off (it changes how long
  publishing takes, not how many requests it makes).
- Polls: the real \`BatchClient.waitForEnd\` and its default schedule, with a simulated clock.
- Cost: token counts come from the offline estimator (cost/tokens.ts) for both sides, output tokens
  from its per-task profile (same formula for both sides, so output only dilutes the ratio); prices
  from cost/prices.ts for the task's default model. "Caching as planned" means the planner's decision
  (cost/caching.ts) with its expected 70% hit probability for requests after the first; a prefix under
  the model's minimum (1,024 tokens for Sonnet 4.6) is never cached. The naive side sends the task's
  system prompt (no project docs) and the whole file, rendered by the same task renderer, one
  interactive request per file. Real bills depend on real token counts, real answers and real cache hits.
- Peak RSS includes tsx (TypeScript compiled at load); the "baseline" row is that floor.`;

import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  parseDeliverBy
} from "./chunk-JBJALSRO.js";
import {
  parsePriceOverrides
} from "./chunk-2S72PKWC.js";
import {
  CONFIDENCES,
  MODES,
  REPORT_TARGETS,
  SEVERITIES,
  TASK_NAMES
} from "./chunk-2Y3VZYX5.js";
import {
  PROVIDER_NAMES
} from "./chunk-JRK7X5D5.js";
import {
  UsageError
} from "./chunk-7KZNXQQH.js";

// src/reports/notify-url.ts
var LOOPBACK_HOSTS = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "[::1]"]);
function checkNotifyUrl(value) {
  const text = value.trim();
  if (text === "") return null;
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError("notify-url: not a URL (the value is a secret and is not shown); give the webhook URL, https://\u2026");
  }
  if (url.username || url.password) {
    throw new UsageError(`notify-url: a URL with a user name or password is not accepted (host ${url.host})`);
  }
  if (url.protocol === "https:") return url.toString();
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return url.toString();
  throw new UsageError(
    `notify-url: only https URLs are accepted (plain http only to localhost); got ${url.protocol.replace(/:$/, "")} to ${url.host}`
  );
}
function notifySecrets(url) {
  if (!url) return [];
  const parsed = new URL(url);
  return [url, url.replace(/\/$/, ""), `${parsed.pathname}${parsed.search}`].filter((s) => s.length >= 8 && s !== "/");
}

// src/providers/config.ts
var PROVIDER_INPUTS = [
  {
    name: "provider",
    default: "anthropic",
    description: "Batch service: anthropic (Message Batches API, API key), bedrock (Amazon Bedrock batch inference, AWS credentials from the standard chain) or vertex (Google Vertex AI batch prediction, Application Default Credentials); all at half the on-demand price."
  },
  {
    name: "aws-region",
    default: "",
    description: "bedrock: AWS region of the job and the bucket; empty = AWS_REGION or AWS_DEFAULT_REGION."
  },
  { name: "bedrock-bucket", default: "", description: "bedrock: S3 bucket for the requests (JSONL) and the results." },
  { name: "bedrock-prefix", default: "overnight/", description: "bedrock: key prefix inside bedrock-bucket." },
  {
    name: "bedrock-role-arn",
    default: "",
    description: "bedrock: service role Bedrock assumes to read and write the bucket (arn:aws:iam::<account>:role/<name>); needed to submit and to collect (resubmissions)."
  },
  {
    name: "bedrock-min-records",
    default: "100",
    description: "bedrock: the per-job minimum record count of the model's quota; a smaller job is answered on demand (InvokeModel, full price)."
  },
  {
    name: "gcp-project",
    default: "",
    description: "vertex: Google Cloud project id of the job; empty = GOOGLE_CLOUD_PROJECT (set by google-github-actions/auth)."
  },
  {
    name: "gcp-location",
    default: "",
    description: "vertex: regional location of the job and the bucket, e.g. us-east5 or europe-west1 (batch jobs need a region, not global); empty = CLOUD_ML_REGION."
  },
  {
    name: "vertex-bucket",
    default: "",
    description: "vertex: Cloud Storage bucket for the requests (JSONL) and the results, as a name or gs://bucket/prefix/."
  },
  { name: "vertex-prefix", default: "overnight/", description: "vertex: object name prefix inside vertex-bucket." },
  {
    name: "state-signing-key",
    default: "",
    description: "Secret the state artifacts are signed with when there is no anthropic-api-key (provider bedrock or vertex): any long random string kept as a repository secret."
  }
];
var ROLE_ARN_PATTERN = /^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/;
var BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
var REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
var GCP_PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
var GCP_REGION_PATTERN = /^[a-z]+-[a-z]+\d+$/;
var GCS_BUCKET_PATTERN = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
function slashed(prefix) {
  const trimmed = prefix.trim().replace(/^\/+/, "");
  return trimmed && !trimmed.endsWith("/") ? `${trimmed}/` : trimmed;
}
function parseVertexConfig(get, env, problems) {
  let bucket = get("vertex-bucket").trim();
  let prefix = slashed(get("vertex-prefix"));
  const uri = /^gs:\/\/([^/]*)\/?(.*)$/.exec(bucket);
  if (uri) {
    bucket = uri[1];
    if (uri[2]) prefix = slashed(uri[2]);
  }
  const vertex = {
    project: (get("gcp-project") || env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT || env.GCP_PROJECT || "").trim(),
    location: (get("gcp-location") || env.CLOUD_ML_REGION || "").trim(),
    bucket,
    prefix
  };
  if (!problems) return vertex;
  if (!vertex.project)
    problems.push("gcp-project: provider vertex needs a Google Cloud project; set gcp-project or GOOGLE_CLOUD_PROJECT");
  else if (!GCP_PROJECT_PATTERN.test(vertex.project))
    problems.push(`gcp-project: '${vertex.project}' is not a Google Cloud project id`);
  if (!vertex.location)
    problems.push("gcp-location: provider vertex needs a region, e.g. us-east5; set gcp-location or CLOUD_ML_REGION");
  else if (["global", "us", "eu"].includes(vertex.location)) {
    problems.push(
      `gcp-location: '${vertex.location}' is not a region; Vertex AI batch jobs for Claude run in one region (e.g. us-east5, europe-west1), with the bucket in the same one`
    );
  } else if (!GCP_REGION_PATTERN.test(vertex.location))
    problems.push(`gcp-location: '${vertex.location}' is not a Google Cloud region like us-east5`);
  if (!vertex.bucket) problems.push("vertex-bucket: provider vertex needs the Cloud Storage bucket for requests and results");
  else if (!GCS_BUCKET_PATTERN.test(vertex.bucket))
    problems.push(`vertex-bucket: '${vertex.bucket}' is not a Cloud Storage bucket name`);
  const mode = get("mode").trim();
  const model = get("model").trim();
  if (mode !== "collect" && mode !== "run" && !model) {
    problems.push("model: provider vertex needs a Vertex AI Claude model id, e.g. claude-sonnet-4-5@20250929");
  } else if (model.includes("/")) {
    problems.push(`model: '${model}' is a path; provider vertex takes the model id alone, e.g. claude-sonnet-4-5@20250929`);
  }
  return vertex;
}
function parseProviderConfig(get, env, problems) {
  const name = get("provider").trim();
  let provider = "anthropic";
  if (PROVIDER_NAMES.includes(name)) provider = name;
  else problems.push(`provider: unknown value '${name}'; use one of ${PROVIDER_NAMES.join(", ")}`);
  let prefix = get("bedrock-prefix").trim().replace(/^\/+/, "");
  if (prefix && !prefix.endsWith("/")) prefix += "/";
  const minText = get("bedrock-min-records").trim();
  const bedrock = {
    region: (get("aws-region") || env.AWS_REGION || env.AWS_DEFAULT_REGION || "").trim(),
    bucket: get("bedrock-bucket").trim(),
    prefix,
    roleArn: get("bedrock-role-arn").trim(),
    minRecords: /^\d{1,6}$/.test(minText) ? Number(minText) : -1
  };
  if (provider === "bedrock") {
    const mode = get("mode").trim();
    const submits = mode !== "collect" && mode !== "run";
    const createsJobs = mode !== "run";
    if (!bedrock.region) problems.push("aws-region: provider bedrock needs a region; set aws-region or AWS_REGION");
    else if (!REGION_PATTERN.test(bedrock.region))
      problems.push(`aws-region: '${bedrock.region}' is not an AWS region like us-east-1`);
    if (!bedrock.bucket) problems.push("bedrock-bucket: provider bedrock needs the S3 bucket for requests and results");
    else if (!BUCKET_PATTERN.test(bedrock.bucket)) problems.push(`bedrock-bucket: '${bedrock.bucket}' is not an S3 bucket name`);
    if (createsJobs && !bedrock.roleArn)
      problems.push(
        "bedrock-role-arn: provider bedrock needs the service role Bedrock runs its jobs as (submit, and collect for resubmissions)"
      );
    else if (bedrock.roleArn && !ROLE_ARN_PATTERN.test(bedrock.roleArn)) {
      problems.push(
        `bedrock-role-arn: '${bedrock.roleArn}' is not a role ARN like arn:aws:iam::123456789012:role/overnight-batch`
      );
    }
    if (bedrock.minRecords < 1) problems.push(`bedrock-min-records: '${minText}' is not a whole number from 1 to 999999`);
    if (submits && !get("model").trim()) {
      problems.push(
        "model: provider bedrock needs a Bedrock model id or inference profile, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0"
      );
    }
  }
  const vertex = parseVertexConfig(get, env, provider === "vertex" ? problems : null);
  return { provider, bedrock, vertex, stateSigningKey: (get("state-signing-key") || env.OVERNIGHT_STATE_KEY || "").trim() };
}

// src/config.ts
var INPUTS = [
  {
    name: "mode",
    default: "submit",
    description: "submit, collect, run (interactive API now) or auto (run below sync-threshold requests, submit above)."
  },
  {
    name: "task",
    default: "code-review",
    description: "code-review, security-scan, test-generation, docs-update or refactor-validation. For collect: the task whose submissions to collect, or all."
  },
  {
    name: "anthropic-api-key",
    default: "",
    description: "Anthropic API key; falls back to the ANTHROPIC_API_KEY environment variable. Not needed for collect-only runs that find nothing to do."
  },
  { name: "anthropic-base-url", default: "", description: "API base URL; empty = the SDK default or ANTHROPIC_BASE_URL." },
  ...PROVIDER_INPUTS,
  {
    name: "model",
    default: "",
    description: "Model id; empty = the task default (claude-sonnet-4-6 for reviews, claude-haiku-4-5 for docs)."
  },
  { name: "max-output-tokens", default: "", description: "Output budget per request; empty = the task default." },
  {
    name: "since",
    default: "last",
    description: "Which changes: last (everything since the commit the last submit of this task reviewed; 24h when there is none; content already reviewed is skipped), 24h, 7d, a commit SHA or a ref. Ignored on pull_request events (the PR is reviewed)."
  },
  {
    name: "include",
    default: "",
    description: "Globs of files to review (comma or newline separated); empty = all changed files."
  },
  { name: "exclude", default: "", description: "Globs of files never to review (comma or newline separated)." },
  { name: "max-files", default: "300", description: "At most this many files per run; the most changed first." },
  { name: "max-file-bytes", default: "200000", description: "Files larger than this are skipped." },
  {
    name: "context-files",
    default: "",
    description: "Globs of project docs (style guides, architecture) put in the shared, cached prompt prefix. CLAUDE.md and AGENTS.md are always included when present."
  },
  {
    name: "instructions",
    default: "",
    description: "Extra instructions for the model: the text, or the path of a file committed in the repository (a one-line value naming a file; read at a pull request's base, never through a symlink)."
  },
  {
    name: "max-cost-usd",
    default: "0",
    description: "Budget for one night in USD: the submit, collect-time resubmissions and deadline fallbacks together; requests are dropped by priority to fit. 0 = no budget."
  },
  {
    name: "budget-strict",
    default: "false",
    description: "Price every request at its max_tokens of output (the worst case) instead of the expected output when holding it to max-cost-usd and monthly-budget-usd."
  },
  {
    name: "monthly-budget-usd",
    default: "0",
    description: "Budget for a calendar month (UTC) in USD, tracked in a signed ledger carried with the states: once reached, submit stops with one line. 0 = none."
  },
  {
    name: "deliver-by",
    default: "",
    description: "When results must be there: a time of day in a time zone (08:00 Europe/Berlin) or a duration after submit (6h). Submit warns when the batch may end later; a collect at or after it answers what is still processing through the interactive API (full price, within max-cost-usd). With mode auto, a deadline under 2h sends small work interactively."
  },
  {
    name: "price-overrides",
    default: "",
    description: 'Prices for models the built-in table lacks or that changed: JSON {"model": {"input": 3, "output": 15}} or model=input/output lines (USD per million tokens).'
  },
  {
    name: "sync-threshold",
    default: "5",
    description: "With mode auto: fewer requests than this run interactively now, more go to a batch."
  },
  {
    name: "wait-minutes",
    default: "0",
    description: "Collect: poll a batch still in progress for up to this many minutes (capped exponential backoff)."
  },
  {
    name: "batch-id",
    default: "",
    description: "Collect only this batch (msgbatch_\u2026); works even when its state artifact is gone."
  },
  {
    name: "report",
    default: "",
    description: "Comma list of issue, pr-review, pr-comment, sarif, pull-request, summary, artifact; empty = the task default."
  },
  { name: "issue-labels", default: "overnight", description: "Labels for the issues overnight opens (created if missing)." },
  {
    name: "min-severity",
    default: "low",
    description: "Leave out findings below this severity: critical, high, medium, low, info."
  },
  {
    name: "min-confidence",
    default: "likely",
    description: "Post only findings at least this sure: certain, likely, possible. Less sure ones stay in the results file and the job summary."
  },
  {
    name: "verify",
    default: "",
    description: "Collect: check findings at or above medium in a second batch (whole file, finding, evidence: keep or drop) before publishing them: true or false; empty = on for security-scan, off for code-review."
  },
  {
    name: "fail-on-severity",
    default: "none",
    description: "Fail the collect (or run) step, after everything is published, when a published finding is at or above this severity: none, critical, high, medium, low."
  },
  {
    name: "max-findings",
    default: "50",
    description: "Most findings shown in one issue, worst first; the rest are summarised by severity and file (all are in the results artifact). 0 = no cap."
  },
  { name: "max-retries", default: "2", description: "Resubmissions of errored (retryable) and expired requests." },
  {
    name: "min-first-pass-rate",
    default: "90",
    description: "Percent of requests that must succeed on their first try; below it the run report warns, naming the commonest failure. 0 = never warn."
  },
  {
    name: "notify-url",
    default: "",
    description: "A Slack-compatible incoming webhook (https) that gets one short message per published round: counts by severity, cost, link. Secret: pass it from a secret; it is masked and never logged."
  },
  { name: "state-name", default: "overnight-state", description: "Name prefix of the state artifacts." },
  { name: "retention-days", default: "7", description: "Days the state artifact is kept (a batch must be collected before)." },
  {
    name: "sarif-path",
    default: "overnight.sarif",
    description: "Where the SARIF file is written (security-scan always; code-review when report has sarif)."
  },
  {
    name: "github-token",
    default: "${{ github.token }}",
    description: "Token for issues, comments, reviews, pull requests, code scanning and artifacts.",
    actionOnly: true
  },
  {
    name: "dry-run",
    default: "false",
    description: "Plan and estimate only: no paid call, no state, no GitHub write but the job summary."
  }
];
function splitList(value) {
  return value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}
function oneOf(name, value, allowed) {
  if (allowed.includes(value)) return value;
  throw new UsageError(`${name}: unknown value '${value}'; use one of ${allowed.join(", ")}`);
}
function wholeNumber(name, value, min, max = Number.MAX_SAFE_INTEGER) {
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`${name}: '${value}' is not a whole number; give a number from ${min} to ${max}`);
  }
  const n = Number(value.trim());
  if (n < min || n > max) throw new UsageError(`${name}: ${n} is out of range; give a number from ${min} to ${max}`);
  return n;
}
function amount(name, value) {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${name}: '${value}' is not an amount in USD; give 0 (no budget) or a positive number like 2.50`);
  }
  return n;
}
function percentage(name, value) {
  const text = value.trim().replace(/%$/, "");
  const n = Number(text);
  if (text === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`${name}: '${value}' is not a percentage; give a number from 0 to 100 like 90`);
  }
  return n / 100;
}
function bool(name, value) {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "1", "on"].includes(v)) return true;
  if (["false", "no", "0", "off", ""].includes(v)) return false;
  throw new UsageError(`${name}: '${value}' is not true or false`);
}
function checkGlobs(name, globs) {
  for (const glob of globs) {
    let depth = 0;
    for (const ch of glob) {
      if (ch === "{" || ch === "[") depth++;
      if (ch === "}" || ch === "]") depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) throw new UsageError(`${name}: the glob '${glob}' has unbalanced brackets or braces`);
  }
  return globs;
}
function parseConfig(raw, env = process.env) {
  const problems = [];
  const checked = (read, fallback) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };
  const known = new Set(INPUTS.map((i) => i.name));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) problems.push(`unknown option '${key}'; see --help for the options`);
  }
  const get = (name) => {
    const spec = INPUTS.find((i) => i.name === name);
    const value = raw[name];
    if (value === void 0 || value === "") return spec.default.startsWith("${{") ? "" : spec.default;
    return value;
  };
  const mode = checked(() => oneOf("mode", get("mode").trim(), MODES), "submit");
  const taskText = mode === "collect" && raw.task !== void 0 && raw.task.trim() === "" ? "" : get("task").trim();
  const task = checked(
    () => (taskText === "" || taskText === "all") && mode === "collect" ? null : oneOf("task", taskText, TASK_NAMES),
    null
  );
  const reportText = get("report").trim();
  const report = checked(() => reportText ? splitList(reportText).map((t) => oneOf("report", t, REPORT_TARGETS)) : null, null);
  const maxOutput = get("max-output-tokens").trim();
  const batchId = get("batch-id").trim();
  checked(() => {
    if (batchId && !/^msgbatch_[A-Za-z0-9_-]+$/.test(batchId)) {
      throw new UsageError(`batch-id: '${batchId}' is not a batch id; it looks like msgbatch_\u2026`);
    }
  }, void 0);
  const since = get("since").trim();
  if (!since) problems.push("since: empty; use 24h, 7d, last, a commit SHA or a ref");
  const config = {
    mode,
    task,
    apiKey: (get("anthropic-api-key") || env.ANTHROPIC_API_KEY || "").trim(),
    baseUrl: (get("anthropic-base-url") || env.ANTHROPIC_BASE_URL || "").trim(),
    model: get("model").trim() || null,
    maxOutputTokens: checked(() => maxOutput ? wholeNumber("max-output-tokens", maxOutput, 1, 128e3) : null, null),
    since,
    include: checked(() => checkGlobs("include", splitList(get("include"))), []),
    exclude: checked(() => checkGlobs("exclude", splitList(get("exclude"))), []),
    maxFiles: checked(() => wholeNumber("max-files", get("max-files"), 1, 1e5), 0),
    maxFileBytes: checked(() => wholeNumber("max-file-bytes", get("max-file-bytes"), 1), 0),
    contextFiles: checked(() => checkGlobs("context-files", splitList(get("context-files"))), []),
    instructions: get("instructions"),
    maxCostUsd: checked(() => amount("max-cost-usd", get("max-cost-usd")), 0),
    budgetStrict: checked(() => bool("budget-strict", get("budget-strict")), false),
    monthlyBudgetUsd: checked(() => amount("monthly-budget-usd", get("monthly-budget-usd")), 0),
    deliverBy: checked(() => parseDeliverBy(get("deliver-by")), null),
    priceOverrides: checked(() => {
      try {
        return parsePriceOverrides(get("price-overrides"));
      } catch (error) {
        throw new UsageError(error.message);
      }
    }, {}),
    syncThreshold: checked(() => wholeNumber("sync-threshold", get("sync-threshold"), 0, 1e5), 0),
    waitMinutes: checked(() => wholeNumber("wait-minutes", get("wait-minutes"), 0, 24 * 60), 0),
    batchId: batchId || null,
    report,
    issueLabels: checked(() => {
      const labels = splitList(get("issue-labels"));
      for (const label of labels) {
        if (label.length > 50)
          throw new UsageError(`issue-labels: '${label.slice(0, 50)}\u2026' is longer than GitHub's 50 characters for a label`);
      }
      return labels;
    }, []),
    minSeverity: checked(() => oneOf("min-severity", get("min-severity").trim(), SEVERITIES), "low"),
    minConfidence: checked(() => oneOf("min-confidence", get("min-confidence").trim(), CONFIDENCES), "likely"),
    verify: checked(() => get("verify").trim() === "" ? null : bool("verify", get("verify")), null),
    failOnSeverity: checked(() => {
      const level = oneOf("fail-on-severity", get("fail-on-severity").trim(), [
        "none",
        "critical",
        "high",
        "medium",
        "low"
      ]);
      return level === "none" ? null : level;
    }, null),
    maxFindings: checked(() => wholeNumber("max-findings", get("max-findings"), 0, 1e5), 0),
    maxRetries: checked(() => wholeNumber("max-retries", get("max-retries"), 0, 10), 0),
    minFirstPassRate: checked(() => percentage("min-first-pass-rate", get("min-first-pass-rate")), 0.9),
    notifyUrl: checked(() => checkNotifyUrl(get("notify-url") || env.OVERNIGHT_NOTIFY_URL || ""), null),
    stateName: checked(() => {
      const name = get("state-name").trim();
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) {
        throw new UsageError(`state-name: '${name}' may hold only letters, digits, '.', '_' and '-'`);
      }
      return name;
    }, ""),
    retentionDays: checked(() => wholeNumber("retention-days", get("retention-days"), 1, 90), 0),
    sarifPath: get("sarif-path").trim(),
    githubToken: (raw["github-token"] || env.GITHUB_TOKEN || "").trim(),
    dryRun: checked(() => bool("dry-run", get("dry-run")), false),
    ...parseProviderConfig(get, env, problems)
  };
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return config;
}

export {
  notifySecrets,
  INPUTS,
  parseConfig
};

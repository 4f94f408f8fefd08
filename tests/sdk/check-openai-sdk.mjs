// Checks an OpenAI-compatible server (normally the RelayBench simulator) with the official OpenAI Node SDK.
// The point is to test against a client nobody here wrote: if the SDK can parse what the simulator sends,
// real applications can too.
//
// Usage: node check-openai-sdk.mjs BASE_URL [--reasoning]
//   BASE_URL     e.g. http://127.0.0.1:18080/v1 (a server that injects no random faults)
//   --reasoning  the server runs the "reasoner" profile: also check reasoning_content deltas and tokens
//
// Prints one line per check and a final "N passed, M failed"; exits 1 on any failure, 2 on bad usage.

import OpenAI from 'openai';

const args = process.argv.slice(2);
const reasoning = args.includes('--reasoning');
const positional = args.filter((arg) => !arg.startsWith('--'));
if (positional.length !== 1 || args.some((arg) => arg.startsWith('--') && arg !== '--reasoning')) {
  console.error('usage: node check-openai-sdk.mjs BASE_URL [--reasoning]');
  process.exit(2);
}
const baseURL = positional[0];

// The SDK's own timeout only covers the wait for the response headers (20 s), so every check also gets an
// AbortSignal that fires after CHECK_MS: a server that stalls mid-stream fails the check instead of hanging the
// test. The reasoner profile streams a few hundred tokens at about 60 tokens/s, and its p99 answer takes about
// 16 s, so it gets more room.
const TIMEOUT_MS = 20_000;
const CHECK_MS = reasoning ? 60_000 : 20_000;
const MODEL = 'sim-model';
const MESSAGES = [{ role: 'user', content: 'Say something short about latency.' }];

const client = new OpenAI({ baseURL, apiKey: 'sk-sim-test', maxRetries: 0, timeout: TIMEOUT_MS });

// A reasoning model spends max_tokens on reasoning first (as OpenAI's o-series does), so max_tokens 8 would
// leave no room for an answer. With --reasoning the checks that need answer text get a budget large enough for
// both; the others keep 8 tokens, which keeps them fast.
const ANSWER_BUDGET = reasoning ? 4096 : 8;

let passed = 0;
let failed = 0;

class CheckFailure extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

const show = (value) => JSON.stringify(value);

async function check(name, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CHECK_MS);
  // Request options for every SDK call in this check.
  const opts = (extra = {}) => ({ signal: controller.signal, timeout: TIMEOUT_MS, ...extra });
  try {
    await body(opts);
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed += 1;
    const reason =
      error instanceof CheckFailure
        ? error.message
        : controller.signal.aborted
          ? `no complete answer within ${CHECK_MS / 1000} s (${error?.constructor?.name}: ${error?.message})`
          : `unexpected ${error?.constructor?.name ?? 'error'}: ${error?.message ?? error}`;
    console.log(`FAIL ${name}: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

// Runs body and returns the error it throws; fails the check when nothing is thrown.
async function expectThrow(what, body) {
  try {
    await body();
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    return error;
  }
  throw new CheckFailure(`${what} did not throw`);
}

// The SDK gives headers as a fetch Headers object; accept a plain object too in case that ever changes.
function headerValue(headers, name) {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function checkUsage(usage, maxTokens, where) {
  expect(usage && typeof usage === 'object', `${where}: no usage object, got ${show(usage)}`);
  expect(Number.isInteger(usage.prompt_tokens) && usage.prompt_tokens > 0,
    `${where}: usage.prompt_tokens should be an integer > 0, got ${show(usage.prompt_tokens)}`);
  expect(Number.isInteger(usage.completion_tokens) && usage.completion_tokens >= 1 &&
    usage.completion_tokens <= maxTokens,
    `${where}: usage.completion_tokens should be in 1..${maxTokens}, got ${show(usage.completion_tokens)}`);
  expect(usage.total_tokens === usage.prompt_tokens + usage.completion_tokens,
    `${where}: usage.total_tokens ${usage.total_tokens} != prompt ${usage.prompt_tokens} + completion ` +
    `${usage.completion_tokens}`);
  expect(typeof usage.prompt_tokens_details?.cached_tokens === 'number',
    `${where}: usage.prompt_tokens_details.cached_tokens should be a number, got ` +
    `${show(usage.prompt_tokens_details)}`);
  expect(typeof usage.completion_tokens_details?.reasoning_tokens === 'number',
    `${where}: usage.completion_tokens_details.reasoning_tokens should be a number, got ` +
    `${show(usage.completion_tokens_details)}`);
}

// Reads a whole SDK stream into an array of chunks.
async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

await check(`non-streamed chat completion (max_tokens ${ANSWER_BUDGET})`, async (opts) => {
  const completion = await client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: ANSWER_BUDGET }, opts());
  expect(completion.object === 'chat.completion', `object should be "chat.completion", got ${show(completion.object)}`);
  expect(Array.isArray(completion.choices) && completion.choices.length === 1,
    `expected exactly one choice, got ${show(completion.choices)}`);
  const choice = completion.choices[0];
  expect(choice.message?.role === 'assistant', `message.role should be "assistant", got ${show(choice.message?.role)}`);
  expect(typeof choice.message.content === 'string' && choice.message.content.length > 0,
    `message.content should be a non-empty string, got ${show(choice.message.content)}`);
  expect(['stop', 'length'].includes(choice.finish_reason),
    `finish_reason should be "stop" or "length", got ${show(choice.finish_reason)}`);
  checkUsage(completion.usage, ANSWER_BUDGET, 'usage');
  if (reasoning) {
    // Not in the SDK's types, but the SDK passes unknown fields through: DeepSeek-style reasoning_content.
    const text = choice.message.reasoning_content;
    expect(typeof text === 'string' && text.length > 0,
      `reasoner: message.reasoning_content should be a non-empty string, got ${show(text)}`);
    expect(completion.usage.completion_tokens_details.reasoning_tokens > 0,
      `reasoner: reasoning_tokens should be > 0, got ${completion.usage.completion_tokens_details.reasoning_tokens}`);
  }
});

await check(`streamed chat completion with include_usage (max_tokens ${ANSWER_BUDGET})`, async (opts) => {
  const stream = await client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: ANSWER_BUDGET, stream: true,
      stream_options: { include_usage: true } }, opts());
  const chunks = await collect(stream);
  expect(chunks.length >= 3, `expected at least a role, a content and a usage chunk, got ${chunks.length} chunks`);
  for (const chunk of chunks) {
    expect(chunk.object === 'chat.completion.chunk', `chunk object should be "chat.completion.chunk", got ${show(chunk)}`);
  }
  expect(chunks[0].choices?.[0]?.delta?.role === 'assistant',
    `first chunk should carry delta.role "assistant", got ${show(chunks[0])}`);
  const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  expect(content.length > 0, 'concatenated delta.content is empty');
  const finishing = chunks.filter((c) => c.choices?.some((choice) => choice.finish_reason));
  expect(finishing.length === 1, `exactly one chunk should carry a finish_reason, got ${finishing.length}`);
  const finishReason = finishing[0].choices.find((choice) => choice.finish_reason).finish_reason;
  expect(['stop', 'length'].includes(finishReason), `finish_reason should be "stop" or "length", got ${show(finishReason)}`);
  const last = chunks[chunks.length - 1];
  expect(Array.isArray(last.choices) && last.choices.length === 0,
    `the last chunk should have empty choices (the usage chunk), got ${show(last.choices)}`);
  checkUsage(last.usage, ANSWER_BUDGET, 'usage chunk');
  if (finishReason === 'length') {
    expect(last.usage.completion_tokens === ANSWER_BUDGET,
      `finish_reason "length" but completion_tokens ${last.usage.completion_tokens} != max_tokens ${ANSWER_BUDGET}`);
  }
  // include_usage puts "usage": null on every other chunk (as OpenAI does); only the last one has numbers.
  const withUsage = chunks.filter((c) => c.usage && typeof c.usage.total_tokens === 'number');
  expect(withUsage.length === 1, `exactly one chunk should carry usage numbers, got ${withUsage.length}`);
});

await check('streamed chat completion without stream_options has no usage', async (opts) => {
  const stream = await client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: 8, stream: true }, opts());
  const chunks = await collect(stream);
  expect(chunks.length >= 2, `expected at least a role and a content chunk, got ${chunks.length} chunks`);
  const withUsage = chunks.filter((c) => c.usage && typeof c.usage === 'object' &&
    Object.values(c.usage).some((value) => typeof value === 'number'));
  expect(withUsage.length === 0, `no chunk should carry usage numbers, got ${show(withUsage[0]?.usage)}`);
  expect(chunks.every((c) => c.choices.length === 1), 'every chunk should have one choice (no usage-only chunk)');
});

await check('max_tokens 3 is honoured', async (opts) => {
  const completion = await client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: 3 }, opts());
  const tokens = completion.usage?.completion_tokens;
  expect(Number.isInteger(tokens) && tokens >= 1 && tokens <= 3,
    `usage.completion_tokens should be in 1..3, got ${show(tokens)}`);
  if (tokens === 3) {
    // The simulator's answers are longer than 3 tokens, so the cut must be reported.
    expect(completion.choices[0].finish_reason === 'length',
      `3 tokens used but finish_reason is ${show(completion.choices[0].finish_reason)}, expected "length"`);
  }
});

await check('models.list()', async (opts) => {
  const page = await client.models.list(opts());
  expect(Array.isArray(page.data) && page.data.length >= 1, `expected at least one model, got ${show(page.data)}`);
  for (const model of page.data) {
    expect(model.object === 'model' && typeof model.id === 'string' && model.id.length > 0,
      `every entry should be {object: "model", id: ...}, got ${show(model)}`);
  }
  expect(page.data.some((model) => model.id === MODEL), `the model list should contain "${MODEL}"`);
});

await check('X-Sim-Fault: rate_limited raises OpenAI.RateLimitError with Retry-After', async (opts) => {
  const error = await expectThrow('a rate-limited request', () => client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: 8 }, opts({ headers: { 'X-Sim-Fault': 'rate_limited' } })));
  expect(error instanceof OpenAI.RateLimitError,
    `expected OpenAI.RateLimitError, got ${error?.constructor?.name}: ${error?.message}`);
  expect(error.status === 429, `expected status 429, got ${show(error.status)}`);
  const retryAfter = headerValue(error.headers, 'retry-after');
  expect(retryAfter !== undefined && /^\d+$/.test(String(retryAfter).trim()),
    `the 429 response should have a numeric retry-after header, got ${show(retryAfter)}`);
  expect(typeof error.error?.message === 'string' && error.error.message.length > 0,
    `the error body should have error.message, got ${show(error.error)}`);
});

await check('X-Sim-Fault: server_error raises OpenAI.InternalServerError (500)', async (opts) => {
  const error = await expectThrow('a failing request', () => client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: 8 }, opts({ headers: { 'X-Sim-Fault': 'server_error' } })));
  expect(error instanceof OpenAI.InternalServerError,
    `expected OpenAI.InternalServerError, got ${error?.constructor?.name}: ${error?.message}`);
  expect(error.status === 500, `expected status 500, got ${show(error.status)}`);
});

await check('X-Sim-Fault: error_event makes stream iteration throw an APIError', async (opts) => {
  const stream = await client.chat.completions.create(
    { model: MODEL, messages: MESSAGES, max_tokens: 8, stream: true },
    opts({ headers: { 'X-Sim-Fault': 'error_event' } }));
  let received = 0;
  const error = await expectThrow('iterating a stream that carries an error event', async () => {
    for await (const chunk of stream) received += chunk ? 1 : 0;
  });
  expect(error instanceof OpenAI.APIError && !(error instanceof OpenAI.APIConnectionError),
    `expected an OpenAI.APIError built from the error event, got ${error?.constructor?.name}: ${error?.message}`);
  expect(typeof error.error?.message === 'string' && error.error.message.length > 0,
    `the APIError should carry the event's error.message, got ${show(error.error)}`);
  expect(received >= 1, 'the error should come after at least the role chunk');
});

if (reasoning) {
  await check('reasoner: reasoning_content deltas come before content, reasoning_tokens > 0', async (opts) => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: MESSAGES, stream: true, stream_options: { include_usage: true } }, opts());
    const chunks = await collect(stream);
    const deltas = chunks.map((c) => c.choices?.[0]?.delta ?? {});
    const firstReasoning = deltas.findIndex((d) => typeof d.reasoning_content === 'string' && d.reasoning_content !== '');
    const firstContent = deltas.findIndex((d) => typeof d.content === 'string' && d.content !== '');
    expect(firstReasoning >= 0, 'no delta carries a reasoning_content string');
    expect(firstContent >= 0, 'no delta carries content (the answer after the reasoning)');
    expect(firstReasoning < firstContent,
      `the first reasoning_content delta (chunk ${firstReasoning}) should come before the first content delta ` +
      `(chunk ${firstContent})`);
    const usage = chunks[chunks.length - 1].usage;
    const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens;
    expect(typeof reasoningTokens === 'number' && reasoningTokens > 0,
      `usage.completion_tokens_details.reasoning_tokens should be > 0, got ${show(reasoningTokens)}`);
    expect(reasoningTokens < usage.completion_tokens,
      `reasoning_tokens ${reasoningTokens} should be part of (less than) completion_tokens ${usage.completion_tokens}`);
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

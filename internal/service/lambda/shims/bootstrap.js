// Fogbank's Node.js runtime: the Lambda Runtime API loop for handlers named
// "file.function" (or "dir/file.function") under LAMBDA_TASK_ROOT, in the
// async style (a returned promise) or the callback style.
'use strict';
const http = require('http');
const path = require('path');
const { pathToFileURL } = require('url');
const fs = require('fs');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const BASE = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: BASE + p, agent, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function errorBody(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    errorType: e.name || 'Error',
    errorMessage: e.message,
    trace: (e.stack || '').split('\n'),
  };
}

async function postError(p, err, errorType) {
  const body = errorBody(err);
  if (errorType !== 'Unhandled') body.errorType = errorType;
  console.error('\tERROR\t' + JSON.stringify(body));
  await request('POST', p, JSON.stringify(body), {
    'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': errorType,
  });
}

async function loadHandler() {
  const handler = process.env._HANDLER || '';
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw Object.assign(new Error(`Bad handler ${handler}`), { name: 'Runtime.MalformedHandlerName' });
  const modPath = handler.slice(0, dot);
  const fnName = handler.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  let mod;
  const base = path.resolve(root, modPath);
  try {
    if (fs.existsSync(base + '.mjs')) {
      mod = await import(pathToFileURL(base + '.mjs').href);
    } else {
      mod = require(base);
    }
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(base)) {
      throw Object.assign(new Error(`Error: Cannot find module '${modPath}'`), { name: 'Runtime.ImportModuleError' });
    }
    throw err;
  }
  const fn = mod[fnName] || (mod.default && mod.default[fnName]);
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${modPath}.${fnName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return fn;
}

function makeContext(h) {
  const deadline = Number(h['lambda-runtime-deadline-ms'] || 0);
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: h['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
  if (h['lambda-runtime-client-context']) ctx.clientContext = JSON.parse(h['lambda-runtime-client-context']);
  if (h['lambda-runtime-cognito-identity']) ctx.identity = JSON.parse(h['lambda-runtime-cognito-identity']);
  return ctx;
}

// invoke runs the handler in either style and settles with its result.
function invoke(fn, event, ctx) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    ctx.done = callback;
    ctx.succeed = (r) => resolve(r);
    ctx.fail = (e) => reject(e);
    try {
      const ret = fn(event, ctx, callback);
      if (ret && typeof ret.then === 'function') ret.then(resolve, reject);
      else if (fn.length < 3) resolve(ret);
    } catch (err) {
      reject(err);
    }
  });
}

async function main() {
  let fn;
  try {
    fn = await loadHandler();
  } catch (err) {
    await postError('/init/error', err, err.name && err.name.startsWith('Runtime.') ? err.name : 'Runtime.UserCodeSyntaxError');
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/invocation/next');
    const h = next.headers;
    const id = h['lambda-runtime-aws-request-id'];
    process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'] || '';
    const event = next.body.length ? JSON.parse(next.body.toString()) : null;
    try {
      const result = await invoke(fn, event, makeContext(h));
      const body = result === undefined ? 'null' : JSON.stringify(result);
      await request('POST', `/invocation/${id}/response`, body, { 'Content-Type': 'application/json' });
    } catch (err) {
      await postError(`/invocation/${id}/error`, err, 'Unhandled');
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

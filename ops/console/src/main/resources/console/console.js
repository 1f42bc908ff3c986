'use strict';

// The stages of the flow, in the order a user record meets them, with the services behind each
// and the counters (from /api/status "stages") that show users moving through it.
const FLOW = [
  { title: 'Source', services: ['offline-source'], counters: [], none: 'randomuser.me' },
  { title: 'Orchestration', services: ['airflow-api-server', 'airflow-scheduler', 'airflow-dag-processor', 'airflow-triggerer', 'ingest'], counters: [] },
  { title: 'Landing: PostgreSQL', services: ['postgres'], counters: ['landed'] },
  { title: 'CDC: Debezium on Kafka Connect', services: ['connect'], counters: [] },
  { title: 'Kafka: users_created', services: ['kafka'], counters: ['captured'] },
  { title: 'Spark Structured Streaming', services: ['stream', 'spark-master', 'spark-worker'], counters: ['accepted', 'rejected'] },
  { title: 'Cassandra: spark_streams', services: ['cassandra'], counters: [] },
];
const COUNTER_LABELS = { landed: 'landed', captured: 'change events', accepted: 'written to Cassandra', rejected: 'dead letters' };
const REFRESH_MS = 5000;

const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
};
// A JSON answer of the console's API, or an Error with the reason it gave.
async function api(path, options) {
  const response = await fetch(path, options);
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}
// A table whose rows could not be read shows why in their place.
function failedRows(body, text, cls = 'error') {
  const row = el('tr');
  row.append(el('td', cls, text));
  body.replaceChildren(row);
}
const number = n => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
const mib = bytes => bytes > 0 ? Math.round(bytes / 1048576).toLocaleString('en-US') + ' MiB' : '–';
const duration = s => {
  if (!s) return '–';
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${sec}s` : `${sec}s`;
};

// The worst state among the services of a stage that are part of the stack.
function stageState(services) {
  const on = services.filter(s => s && s.state !== 'off');
  if (on.length === 0) return 'off';
  for (const bad of ['failed', 'unhealthy', 'stopped']) {
    if (on.some(s => s.state === bad)) return bad;
  }
  return 'healthy';
}

function renderFlow(snapshot) {
  const byName = Object.fromEntries(snapshot.services.map(s => [s.name, s]));
  const counters = Object.fromEntries(snapshot.stages.map(c => [c.stage, c]));
  const flow = document.getElementById('flow');
  flow.replaceChildren();
  FLOW.forEach((step, i) => {
    if (i > 0) flow.append(el('div', 'arrow', '→'));
    const services = step.services.map(name => byName[name]).filter(Boolean);
    const box = el('div', 'stage ' + stageState(services));
    box.append(el('h3', null, step.title));
    const on = services.filter(s => s.state !== 'off');
    box.append(el('div', 'services', on.length ? on.map(s => `${s.name} ${s.state}`).join(' · ')
      : (step.none ? step.none : 'not part of this stack')));
    for (const key of step.counters) {
      const c = counters[key];
      if (!c) continue;
      const counter = el('div', 'counter');
      counter.title = c.what;
      counter.append(el('div', 'count', number(c.count)));
      counter.append(el('div', 'what', COUNTER_LABELS[key] + (c.perSecond !== null ? ' · ' + number(c.perSecond) + ' /s' : '')));
      if (c.error) counter.append(el('div', 'error', c.error));
      box.append(counter);
    }
    // What the stage's main service says of itself: the connector's state and slot lag, the job's last batch.
    const main = on.find(s => s.detail);
    if (main && step.counters.length === 0 || main && main.state !== 'healthy') {
      const detail = el('div', 'detail', main.detail.length > 140 ? main.detail.slice(0, 140) + ' …' : main.detail);
      detail.title = main.detail;
      box.append(detail);
    }
    flow.append(box);
  });
}

function renderServices(snapshot) {
  const body = document.querySelector('#services tbody');
  body.replaceChildren();
  for (const s of snapshot.services) {
    const row = el('tr', s.state === 'off' ? 'off' : '');
    row.append(el('td', null, s.name));
    row.append(el('td', 'state ' + s.state, s.state));
    row.append(el('td', 'num', s.pid === null ? '–' : String(s.pid)));
    const address = el('td');
    if (/^https?:\/\//.test(s.address) && s.state !== 'off') {
      const link = el('a', null, s.address);
      link.href = s.address;
      address.append(link);
    } else {
      address.textContent = s.address;
    }
    row.append(address);
    row.append(el('td', 'detail', s.detail));
    row.append(el('td', 'num', duration(s.uptimeSeconds)));
    row.append(el('td', 'num', mib(s.memoryBytes)));
    row.append(el('td', 'num', s.cpuSeconds ? s.cpuSeconds.toFixed(1) + ' s' : '–'));
    const restarts = el('td', 'num' + (s.restartsGivenUp ? ' state failed' : ''), s.restarts ? String(s.restarts) : '–');
    if (s.supervision) restarts.title = s.supervision;
    row.append(restarts);
    body.append(row);
  }
}

function renderSummary(snapshot) {
  const summary = document.getElementById('summary');
  const on = snapshot.services.filter(s => s.state !== 'off');
  const healthy = on.filter(s => s.state === 'healthy').length;
  summary.className = 'summary ' + (snapshot.healthy ? 'ok' : 'bad');
  summary.textContent = `${healthy} of ${on.length} services healthy · looked at ${new Date(snapshot.takenAt).toLocaleTimeString()}`
    + ` (took ${number(snapshot.tookMillis)} ms)`;
}

function fillLogChoices(snapshot) {
  const select = document.getElementById('log-service');
  if (select.options.length) return;
  for (const s of snapshot.services) {
    const option = el('option', null, s.name);
    option.value = s.name;
    select.append(option);
  }
  const first = snapshot.services.find(s => s.state !== 'off');
  if (first) select.value = first.name;
  select.addEventListener('change', refreshLog);
}

async function refreshLog() {
  const service = document.getElementById('log-service').value;
  if (!service) return;
  const log = document.getElementById('log');
  try {
    const answer = await (await fetch(`/api/logs/${encodeURIComponent(service)}?lines=300`)).json();
    log.textContent = answer.error ? answer.error
      : (answer.lines.length ? answer.lines.join('\n') : `(${answer.file} is empty or not written yet)`);
  } catch (e) {
    log.textContent = 'cannot read the log: ' + e;
  }
  if (document.getElementById('log-follow').checked) log.scrollTop = log.scrollHeight;
}

// The charts: one uPlot each, made at the first answer and given new data at every refresh.
const CHARTS = [
  { id: 'chart-rates', title: 'Users per second, by stage', unit: '/s',
    series: h => [['landed', h.rates.landed], ['change events', h.rates.captured], ['written to Cassandra', h.rates.accepted],
      ['dead letters', h.rates.rejected]] },
  { id: 'chart-lag', title: "Spark job's lag (records behind)", unit: '',
    series: h => [['all partitions', h.jobLag]].concat(Object.keys(h.jobLagPartitions).map(p => ['partition ' + p, h.jobLagPartitions[p]])) },
  { id: 'chart-slot', title: "Connect's replication slot lag (bytes)", unit: ' B', series: h => [['slot lag', h.slotLagBytes]] },
  { id: 'chart-latency', title: 'Fetch to Cassandra latency (ms)', unit: ' ms',
    series: h => [['p50', h.latencyP50Millis], ['p99', h.latencyP99Millis]] },
];
// Axis numbers people read at a glance: 950, 12k, 3.4M.
const compact = v => {
  const a = Math.abs(v);
  return a >= 1e9 ? (v / 1e9).toFixed(1) + 'G' : a >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : a >= 1e4 ? Math.round(v / 1e3) + 'k'
    : a >= 1e3 ? (v / 1e3).toFixed(1) + 'k' : String(Math.round(v * 10) / 10);
};
const COLOURS = ['#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#ff7f0e', '#8c564b', '#17becf'];
const plots = {};

function chartWidth(node) {
  return Math.max(280, node.clientWidth - 8);
}

function renderCharts(history) {
  for (const chart of CHARTS) {
    const node = document.getElementById(chart.id);
    const series = chart.series(history).filter(([, values]) => values !== undefined);
    const data = [history.times].concat(series.map(([, values]) => values));
    const key = series.map(([label]) => label).join('|');
    // A new series (a partition appears, say) needs a new chart; otherwise new data will do.
    if (plots[chart.id] && plots[chart.id].key === key) {
      plots[chart.id].plot.setData(data);
      continue;
    }
    if (plots[chart.id]) plots[chart.id].plot.destroy();
    node.replaceChildren();
    const opts = {
      title: chart.title, width: chartWidth(node), height: 200,
      scales: { x: { time: true } },
      series: [{}].concat(series.map(([label], i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: chart.id === 'chart-latency',
        value: (u, v) => v === null || v === undefined ? '–' : number(Math.round(v * 10) / 10) + chart.unit,
      }))),
      axes: [{}, { size: 56, values: (u, ticks) => ticks.map(compact) }],
    };
    plots[chart.id] = { key, plot: new uPlot(opts, data, node) };
  }
}

async function refreshHistory() {
  const minutes = document.getElementById('history-minutes').value;
  try {
    const history = await api('/api/history?minutes=' + minutes);
    renderCharts(history);
  } catch (e) {
    document.getElementById('chart-rates').textContent = 'cannot read the history: ' + e.message;
  }
}

document.getElementById('history-minutes').addEventListener('change', refreshHistory);
window.addEventListener('resize', () => {
  for (const { plot } of Object.values(plots)) plot.setSize({ width: chartWidth(plot.root.parentNode), height: 200 });
});

// The trail of one user: each stage found, the time since the one before, and how it ended.
function renderTrace(trace) {
  const box = document.getElementById('trace');
  box.replaceChildren();
  const outcome = el('div', 'outcome ' + trace.outcome, (trace.id || trace.asked) + ': ' + trace.outcome.replace('_', ' ')
    + (trace.reason ? ' (' + trace.reason + ')' : ''));
  box.append(outcome);
  if (trace.stages.length) {
    const list = el('ol', 'timeline');
    for (const stage of trace.stages) {
      const item = el('li', 'step ' + stage.stage);
      item.append(el('span', 'name', stage.stage));
      item.append(el('span', 'at', new Date(stage.at).toISOString().replace('T', ' ').replace('Z', '')));
      item.append(el('span', 'took', stage.millisSincePrevious === undefined ? '' : '+' + number(stage.millisSincePrevious) + ' ms'));
      item.append(el('span', 'where', stage.where));
      list.append(item);
    }
    box.append(list);
  }
  if (trace.endToEndMillis !== null) box.append(el('div', 'note', 'end to end ' + number(trace.endToEndMillis) + ' ms'));
  if (trace.note) box.append(el('div', 'note', trace.note));
}

document.getElementById('trace-form').addEventListener('submit', async event => {
  event.preventDefault();
  const user = document.getElementById('trace-user').value.trim();
  const box = document.getElementById('trace');
  box.replaceChildren(el('div', 'note', 'tracing ' + user + ' …'));
  try {
    const answer = await api('/api/trace/' + encodeURIComponent(user));
    renderTrace(answer);
  } catch (e) {
    box.replaceChildren(el('div', 'error', 'cannot trace: ' + e.message));
  }
});

// Connect: each connector with its tasks, and the actions on it (POST, with the console's token).
let csrfToken = null;
async function token() {
  if (!csrfToken) csrfToken = (await (await fetch('/api/session')).json()).csrfToken;
  return csrfToken;
}

async function act(connector, action) {
  const result = document.getElementById('connect-result');
  result.textContent = action + ' ' + connector + ' …';
  try {
    const answer = await api(`/api/connect/${encodeURIComponent(connector)}/${action}`,
      { method: 'POST', headers: { 'X-CSRF-Token': await token() } });
    result.textContent = answer.result;
  } catch (e) {
    result.textContent = 'cannot ' + action + ' ' + connector + ': ' + e.message;
  }
  await refreshConnect();
}

async function refreshConnect() {
  const body = document.querySelector('#connectors tbody');
  try {
    const answer = await api('/api/connect');
    body.replaceChildren();
    for (const c of answer.connectors) {
      const row = el('tr');
      row.dataset.connector = c.name;
      row.append(el('td', null, c.name), el('td', null, c.type));
      row.append(el('td', 'state connector-state ' + (c.state === 'RUNNING' ? 'healthy' : c.state === 'PAUSED' ? 'off' : 'failed'), c.state));
      row.append(el('td', null, c.tasks.map(t => `#${t.id} ${t.state}`).join(', ') || 'none'));
      row.append(el('td', 'detail', [c.error].concat(c.tasks.map(t => t.error)).filter(Boolean).join(' · ')));
      const actions = el('td', 'actions');
      for (const action of ['pause', 'resume', 'restart']) {
        const button = el('button', 'action ' + action, action);
        button.addEventListener('click', () => act(c.name, action));
        actions.append(button);
      }
      row.append(actions);
      body.append(row);
    }
  } catch (e) {
    failedRows(body, 'cannot read the Connect cluster: ' + e.message);
  }
}

// Topics: partitions, offsets, size and retention; a click shows the latest messages.
const bytes = b => b >= 1073741824 ? (b / 1073741824).toFixed(1) + ' GiB' : b >= 1048576 ? (b / 1048576).toFixed(1) + ' MiB'
  : b >= 1024 ? Math.round(b / 1024) + ' KiB' : b + ' B';
const retention = ms => ms < 0 ? 'forever' : ms % 86400000 === 0 ? (ms / 86400000) + ' days' : Math.round(ms / 3600000) + ' hours';

async function refreshTopics() {
  const body = document.querySelector('#topics tbody');
  try {
    const answer = await api('/api/topics');
    body.replaceChildren();
    for (const t of answer.topics) {
      const row = el('tr');
      row.dataset.topic = t.name;
      row.append(el('td', null, t.name));
      row.append(el('td', 'num', String(t.partitions.length)));
      row.append(el('td', 'num', number(t.offsets)));
      row.append(el('td', 'num', bytes(t.bytes)));
      row.append(el('td', null, retention(t.retentionMs)));
      row.append(el('td', null, t.cleanupPolicy));
      const browse = el('td');
      const button = el('button', 'browse', 'latest messages');
      button.addEventListener('click', () => showMessages(t.name, t.partitions.map(p => p.partition)));
      browse.append(button);
      row.append(browse);
      body.append(row);
    }
  } catch (e) {
    failedRows(body, 'cannot read the topics: ' + e.message);
  }
}

async function showMessages(topic, partitions, partition) {
  const box = document.getElementById('messages');
  box.replaceChildren(el('div', 'note', 'reading ' + topic + ' …'));
  const query = partition === undefined ? '' : '&partition=' + partition;
  try {
    const answer = await api(`/api/topics/${encodeURIComponent(topic)}/messages?limit=20${query}`);
    const head = el('div', 'messages-head');
    head.append(el('strong', null, topic + ': the latest ' + answer.messages.length + ' messages, read committed '));
    const select = el('select');
    select.append(new Option('every partition', ''));
    partitions.forEach(p => select.append(new Option('partition ' + p, String(p))));
    select.value = partition === undefined ? '' : String(partition);
    select.addEventListener('change', () => showMessages(topic, partitions, select.value === '' ? undefined : Number(select.value)));
    head.append(select);
    box.replaceChildren(head);
    for (const m of answer.messages) {
      const message = el('details', 'message');
      const summary = el('summary', null, `${m.timestamp.replace('T', ' ').replace('Z', '')} · partition ${m.partition} offset ${m.offset} · key ${JSON.stringify(m.key)}`);
      message.append(summary);
      if (Object.keys(m.headers).length) message.append(el('pre', 'headers', 'headers ' + JSON.stringify(m.headers, null, 2)));
      message.append(el('pre', 'value', typeof m.value === 'string' ? m.value : JSON.stringify(m.value, null, 2)));
      box.append(message);
    }
  } catch (e) {
    box.replaceChildren(el('div', 'error', 'cannot read ' + topic + ': ' + e.message));
  }
}

async function refreshDeadLetters() {
  const body = document.querySelector('#dead-letters tbody');
  try {
    const answer = await api('/api/dead-letters');
    body.replaceChildren();
    for (const r of answer.reasons) {
      const row = el('tr');
      row.append(el('td', 'reason', r.reason), el('td', 'num', number(r.count)));
      const examples = el('td');
      for (const x of r.examples) {
        const line = el('div', 'example');
        if (x.id) {
          const link = el('a', null, x.id);
          link.href = '#trace';
          link.addEventListener('click', () => {
            document.getElementById('trace-user').value = x.id;
            document.getElementById('trace-form').requestSubmit();
          });
          line.append(link);
        }
        line.append(document.createTextNode(` · partition ${x.partition} offset ${x.offset} · ${x.timestamp.replace('T', ' ').replace('Z', '')} · ${x.reason}`));
        examples.append(line);
      }
      row.append(examples);
      body.append(row);
    }
    document.getElementById('dead-letters-note').textContent = answer.reasons.length
      ? `Grouped from the latest ${number(answer.read)} letters of ${answer.topic}.` : `No dead letter in ${answer.topic}.`;
  } catch (e) {
    failedRows(body, 'cannot read the dead letters: ' + e.message);
  }
}

// Orchestration: the DAG's latest runs, each with what its reconcile task found, linked to Airflow's UI.
async function refreshAirflow() {
  const body = document.querySelector('#airflow-runs tbody');
  try {
    const answer = await api('/api/airflow/runs');
    document.getElementById('airflow-link').href = answer.ui;
    body.replaceChildren();
    for (const run of answer.runs) {
      const row = el('tr');
      const id = el('td');
      const link = el('a', null, run.runId);
      link.href = run.url;
      id.append(link);
      row.append(id);
      row.append(el('td', 'state ' + (run.state === 'success' ? 'healthy' : run.state === 'failed' ? 'failed' : 'off'), run.state));
      row.append(el('td', null, run.start ? new Date(run.start).toLocaleTimeString() : '–'));
      row.append(el('td', 'num', run.start && run.end ? ((new Date(run.end) - new Date(run.start)) / 1000).toFixed(1) + ' s' : '–'));
      const r = run.reconcile;
      row.append(el('td', r && !r.match ? 'error' : null, r ? `${number(r.postgres.count)} landed, ${number(r.cassandra.count)} in Cassandra, `
        + `${number(r.rejected.count)} rejected · ${r.match ? 'reconciled' : 'MISMATCH'}` : '–'));
      body.append(row);
    }
  } catch (e) {
    failedRows(body, 'no runs to show: ' + e.message, 'note');
  }
}

let refreshes = 0;

async function refresh() {
  try {
    const snapshot = await api('/api/status');
    renderSummary(snapshot);
    renderFlow(snapshot);
    renderServices(snapshot);
    fillLogChoices(snapshot);
    await refreshHistory();
    await refreshConnect();
    // Topics and dead letters are read anew every third refresh: each read opens clients of their own.
    if (refreshes++ % 3 === 0) await Promise.all([refreshTopics(), refreshDeadLetters(), refreshAirflow()]);
    if (document.getElementById('log-follow').checked) await refreshLog();
  } catch (e) {
    const summary = document.getElementById('summary');
    summary.className = 'summary bad';
    summary.textContent = 'the console cannot look at the pipeline: ' + e.message;
  }
  setTimeout(refresh, REFRESH_MS);
}

refresh();

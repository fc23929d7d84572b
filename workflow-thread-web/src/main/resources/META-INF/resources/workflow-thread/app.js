// The whole page around <workflow-thread>: who you are, the list of workflows, the form that starts
// one, and the routes / and …/workflows/{id}. No framework and no build step. Every text from the
// server goes into the page with textContent.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const els = {
    connection: $('connection'), visitor: $('visitor'), startForm: $('start-form'), task: $('task'),
    startError: $('start-error'), list: $('workflow-list'), welcome: $('welcome'), thread: $('workflow-thread'),
  };
  const apiBase = (els.thread.getAttribute('api') || '/api').replace(/\/$/, '');
  // The page's own path: / or a prefix, before workflows/{id}.
  const home = location.pathname.replace(/workflows\/\d+\/?$/, '').replace(/[^/]*$/, '');
  const TITLE = document.title;
  let shownId = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function ago(iso) {
    const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 45) return 'just now';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  function api(method, path, body) {
    return customElements.get('workflow-thread').requestJson(apiBase, method, path, body);
  }

  // The server knows who this browser is (from a cookie, or the host's login); it is the author of what we send.
  async function loadSession() {
    try {
      els.visitor.textContent = (await api('GET', '/session')).visitor;
    } catch (error) {
      els.visitor.textContent = 'unknown';
    }
  }

  // ---- routing ----

  function route() {
    const match = location.pathname.match(/\/workflows\/(\d+)\/?$/);
    if (match) {
      shownId = Number(match[1]);
      els.welcome.hidden = true;
      els.thread.hidden = false;
      els.thread.setAttribute('workflow-id', String(shownId));
    } else {
      shownId = null;
      els.thread.removeAttribute('workflow-id');
      els.thread.hidden = true;
      els.welcome.hidden = false;
      document.title = TITLE;
    }
    highlightList();
  }

  function navigate(path) {
    if (location.pathname !== path) history.pushState(null, '', path);
    route();
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    if (!link || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', route);

  els.thread.addEventListener('workflow-thread-navigate', (event) => {
    event.preventDefault();
    navigate(home + 'workflows/' + event.detail.workflowId);
  });
  els.thread.addEventListener('workflow-thread-connection', (event) => {
    els.connection.dataset.state = event.detail.state;
    els.connection.textContent = event.detail.text;
  });
  els.thread.addEventListener('workflow-thread-updated', (event) => {
    const workflow = event.detail.workflow;
    document.title = `#${workflow.workflow_id} ${workflow.status} · ${TITLE}`;
    loadList();
  });

  // ---- the workflow list ----

  async function loadList() {
    let data;
    try {
      data = await api('GET', '/workflows?limit=50');
    } catch (error) {
      return; // the connection indicator says what is wrong
    }
    els.list.replaceChildren();
    if (data.workflows.length === 0) {
      els.list.append(el('li', 'empty', 'No workflow yet: start one above.'));
    }
    for (const workflow of data.workflows) {
      const item = el('li');
      const link = el('a');
      link.href = home + 'workflows/' + Number(workflow.workflow_id);
      link.dataset.link = '';
      link.dataset.id = workflow.workflow_id;
      link.append(el('span', 'wl-id', '#' + workflow.workflow_id), el('span', 'wl-task', workflow.task_description));
      const meta = el('span', 'wl-meta');
      // When it last moved (its newest message), not when it was created.
      const moved = workflow.last_message_at || workflow.created_at;
      const when = el('span', 'wl-when', '· ' + ago(moved));
      when.title = 'last message ' + new Date(moved).toLocaleString();
      meta.append(el('span', 'dot ' + workflow.status), el('span', '', workflow.status), when);
      link.append(meta);
      item.append(link);
      els.list.append(item);
    }
    highlightList();
  }

  function highlightList() {
    for (const link of els.list.querySelectorAll('a')) {
      link.classList.toggle('active', Number(link.dataset.id) === shownId);
    }
  }

  els.startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    els.startError.textContent = '';
    const task = els.task.value.trim();
    if (task === '') {
      els.startError.textContent = 'Describe the task first.';
      return;
    }
    try {
      const workflow = await api('POST', '/workflows', { task_description: task });
      els.task.value = '';
      loadList();
      navigate(home + 'workflows/' + workflow.workflow_id);
    } catch (error) {
      els.startError.textContent = error.message;
    }
  });
  els.task.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) els.startForm.requestSubmit();
  });

  // ---- start ----

  loadSession();
  loadList();
  setInterval(loadList, 5000);
  route();
})();

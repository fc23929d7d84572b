// The conversation thread page: a workflow's messages, live over the WebSocket, and the controls
// a person steers it with. No framework and no build step. Every text that comes from the server
// is put into the page with textContent, never as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const PAGE = 500;
  const AGENT_INITIALS = { plan: 'P', scaffold: 'S', code: 'C', test: 'T', review: 'R', docs: 'D' };
  const FINISHED = new Set(['cancelled', 'redirected', 'completed', 'failed']);
  const CONTROL_ACTIONS = ['pause', 'resume', 'cancel', 'redirect'];
  const OPEN_STATUSES = new Set(['pending', 'acknowledged']);

  const els = {
    connection: $('connection'), visitor: $('visitor'), startForm: $('start-form'), task: $('task'),
    startError: $('start-error'), list: $('workflow-list'), welcome: $('welcome'), notFound: $('not-found'),
    notFoundText: $('not-found-text'), view: $('workflow-view'), workflowId: $('workflow-id'),
    workflowTask: $('workflow-task'), status: $('workflow-status'), pausedBadge: $('paused-badge'),
    links: $('workflow-links'), count: $('message-count'), pause: $('pause-button'), resume: $('resume-button'),
    cancel: $('cancel-button'), notice: $('notice'), thread: $('thread'), newMessages: $('new-messages'),
    composer: $('composer'), text: $('composer-text'), action: $('action-select'), send: $('send-button'),
    instruction: $('send-instruction-button'), redirect: $('redirect-button'), composerError: $('composer-error'),
    toasts: $('toasts'),
  };

  // What the page shows: one workflow and its thread.
  const view = {
    workflowId: null,
    workflow: null,
    loaded: false,
    lastSeq: 0,
    bySeq: new Map(), // seq -> {message, element}
    byId: new Map(), // message id -> seq
    loadToken: 0,
  };

  // The WebSocket, reconnected with a growing delay when it drops.
  const socket = {
    ws: null,
    retryMillis: 1000,
    timer: null,
    subscribedTo: null,
    droppedAt: null, // lastSeq when the connection dropped, to say how much was caught up
  };

  // ---- small helpers ----

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function time(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function ago(iso) {
    const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 45) return 'just now';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  function workflowLink(id, text) {
    const a = el('a', '', text);
    a.href = '/workflows/' + Number(id);
    a.dataset.link = '';
    return a;
  }

  function toast(parts, millis = 4000) {
    const node = el('div', 'toast');
    for (const part of [].concat(parts)) {
      node.append(typeof part === 'string' ? document.createTextNode(part) : part);
    }
    els.toasts.append(node);
    setTimeout(() => node.remove(), millis);
  }

  async function api(method, path, body) {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (ignored) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error : `${method} ${path} failed with ${response.status}`);
      error.status = response.status;
      error.field = data ? data.field : null;
      throw error;
    }
    return data;
  }

  // The server knows who this browser is from an HttpOnly cookie it set; it is the author of what we send.
  async function loadSession() {
    try {
      els.visitor.textContent = (await api('GET', '/api/session')).visitor;
    } catch (error) {
      els.visitor.textContent = 'unknown';
    }
  }

  // ---- routing ----

  function route() {
    const match = location.pathname.match(/^\/workflows\/(\d+)\/?$/);
    if (match) {
      openWorkflow(Number(match[1]));
    } else {
      showHome();
    }
  }

  function navigate(path) {
    if (location.pathname !== path) history.pushState(null, '', path);
    route();
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', route);

  function showOnly(section) {
    for (const node of [els.welcome, els.notFound, els.view]) node.hidden = node !== section;
  }

  function showHome() {
    leaveWorkflow();
    showOnly(els.welcome);
    document.title = 'workflow-thread demo';
    highlightList();
  }

  // ---- the workflow list ----

  async function loadList() {
    let data;
    try {
      data = await api('GET', '/api/workflows?limit=50');
    } catch (error) {
      return; // the connection indicator says what is wrong
    }
    els.list.replaceChildren();
    if (data.workflows.length === 0) {
      els.list.append(el('li', 'empty', 'No workflow yet: start one above.'));
    }
    for (const workflow of data.workflows) {
      const item = el('li');
      const link = workflowLink(workflow.workflow_id, '');
      link.dataset.id = workflow.workflow_id;
      link.append(el('span', 'wl-id', '#' + workflow.workflow_id), el('span', 'wl-task', workflow.task_description));
      const meta = el('span', 'wl-meta');
      meta.append(el('span', 'dot ' + workflow.status), el('span', '', workflow.status), el('span', '', '· ' + ago(workflow.created_at)));
      link.append(meta);
      item.append(link);
      els.list.append(item);
    }
    highlightList();
  }

  function highlightList() {
    for (const link of els.list.querySelectorAll('a')) {
      link.classList.toggle('active', Number(link.dataset.id) === view.workflowId);
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
      const workflow = await api('POST', '/api/workflows', { task_description: task });
      els.task.value = '';
      loadList();
      navigate('/workflows/' + workflow.workflow_id);
    } catch (error) {
      els.startError.textContent = error.message;
    }
  });
  els.task.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) els.startForm.requestSubmit();
  });

  // ---- one workflow ----

  function leaveWorkflow() {
    if (socket.subscribedTo !== null) {
      sendOnSocket({ type: 'unsubscribe:workflow', workflowId: socket.subscribedTo });
      socket.subscribedTo = null;
    }
    view.workflowId = null;
    view.workflow = null;
    view.loaded = false;
    view.loadToken++;
  }

  async function openWorkflow(id) {
    if (view.workflowId === id && view.loaded) return;
    leaveWorkflow();
    const token = view.loadToken;
    view.workflowId = id;
    view.lastSeq = 0;
    view.bySeq.clear();
    view.byId.clear();
    els.thread.replaceChildren();
    els.newMessages.hidden = true;
    els.composerError.textContent = '';
    els.notice.hidden = true;
    socket.droppedAt = null;
    // Nothing of the workflow shown before may stand while this one loads, or if it fails to.
    els.workflowId.textContent = '#' + id;
    els.workflowTask.textContent = 'Loading…';
    els.status.textContent = '';
    els.status.className = 'badge status';
    els.pausedBadge.hidden = true;
    els.links.replaceChildren();
    for (const button of [els.pause, els.resume, els.cancel, els.instruction, els.redirect]) button.disabled = true;
    showOnly(els.view);
    highlightList();
    try {
      const workflow = await api('GET', `/api/workflows/${id}`);
      if (token !== view.loadToken) return;
      renderWorkflow(workflow);
      for (let after = 0; ;) {
        const page = await api('GET', `/api/workflows/${id}/messages?after=${after}&limit=${PAGE}`);
        if (token !== view.loadToken) return;
        page.messages.forEach((message) => addMessage(message, false));
        if (page.messages.length < PAGE) break;
        after = page.messages[page.messages.length - 1].seq;
      }
      view.loaded = true;
      scrollToEnd();
      scheduleStatusRefresh();
      subscribe();
    } catch (error) {
      if (token !== view.loadToken) return;
      if (error.status === 404 || error.status === 400) {
        showOnly(els.notFound);
        els.notFoundText.textContent = error.message;
      } else {
        showNotice('bad', ['Could not load the workflow: ' + error.message]);
      }
    }
  }

  function renderWorkflow(workflow) {
    if (workflow.workflow_id !== view.workflowId) return;
    view.workflow = workflow;
    const finished = FINISHED.has(workflow.status);
    const pauseRequested = workflow.pause_requested_at !== null && !finished;
    document.title = `#${workflow.workflow_id} ${workflow.status} · workflow-thread demo`;
    els.workflowId.textContent = '#' + workflow.workflow_id;
    els.workflowTask.textContent = workflow.task_description;
    els.status.textContent = workflow.status;
    els.status.className = 'badge status status-' + workflow.status;
    els.status.dataset.status = workflow.status;
    els.pausedBadge.hidden = !workflow.is_paused;
    els.pausedBadge.textContent = workflow.paused_at ? 'Paused since ' + time(workflow.paused_at) : 'Paused';

    els.links.replaceChildren();
    if (workflow.redirected_from !== null) {
      els.links.append('redirected from ', workflowLink(workflow.redirected_from, '#' + workflow.redirected_from));
    }
    if (workflow.redirected_to !== null) {
      if (els.links.childNodes.length) els.links.append(' · ');
      els.links.append('continues in ', workflowLink(workflow.redirected_to, '#' + workflow.redirected_to));
    }

    els.pause.disabled = finished || pauseRequested;
    els.resume.disabled = finished || !pauseRequested;
    els.cancel.disabled = finished;
    els.instruction.disabled = finished;
    els.redirect.disabled = finished;
    for (const option of els.action.options) {
      option.disabled = finished && (CONTROL_ACTIONS.includes(option.value) || option.value === 'instruction');
    }
    if (els.action.selectedOptions[0] && els.action.selectedOptions[0].disabled) els.action.value = 'comment';

    if (workflow.is_paused) {
      const resume = el('button', 'primary', 'Resume');
      resume.type = 'button';
      resume.addEventListener('click', () => control('unpause'));
      const reason = workflow.pause_reason && workflow.pause_reason !== 'Pause requested'
        ? ' Reason given: ' + workflow.pause_reason : '';
      showNotice('warn', ['Paused: the agents wait at their checkpoint until you resume.' + reason, resume], 'paused');
    } else if (pauseRequested) {
      showNotice('info', ['Pause requested: the workflow pauses at the agents\' next checkpoint.'], 'pause-requested');
    } else if (workflow.status === 'redirected' && workflow.redirected_to !== null) {
      showNotice('violet', ['Redirected: the work goes on in ',
        workflowLink(workflow.redirected_to, 'workflow #' + workflow.redirected_to + ' →')], 'redirected');
    } else if (workflow.status === 'cancelled') {
      showNotice('bad', ['This workflow is cancelled' + (workflow.status_reason ? ' (' + workflow.status_reason + ').' : '.')], 'cancelled');
    } else if (workflow.status === 'failed') {
      showNotice('bad', ['This workflow failed' + (workflow.status_reason ? ': ' + workflow.status_reason : '.')], 'failed');
    } else if (workflow.status === 'completed') {
      showNotice('done', ['Completed' + (workflow.status_reason ? ': ' + workflow.status_reason + '.' : '.')], 'completed');
    } else {
      els.notice.hidden = true;
      delete els.notice.dataset.kind;
    }
    updateCount();
  }

  function showNotice(tone, parts, kind) {
    els.notice.className = 'notice ' + tone;
    els.notice.dataset.kind = kind || tone;
    els.notice.replaceChildren();
    const text = el('span');
    for (const part of parts) {
      if (part instanceof HTMLButtonElement) {
        els.notice.append(text, part);
      } else {
        text.append(typeof part === 'string' ? document.createTextNode(part) : part);
      }
    }
    if (!text.parentNode) els.notice.append(text);
    els.notice.hidden = false;
  }

  function updateCount() {
    const count = view.bySeq.size;
    els.count.textContent = count === 1 ? '1 message' : count + ' messages';
  }

  // ---- messages ----

  function addMessage(message, live) {
    if (message.workflow_id !== view.workflowId) return;
    const known = view.bySeq.get(message.seq);
    if (known) {
      setStatus(known, message.action_status);
      return;
    }
    const follow = live && isNearEnd();
    const element = renderMessage(message);
    const entry = { message, element };
    view.bySeq.set(message.seq, entry);
    view.byId.set(message.id, message.seq);
    if (message.seq > view.lastSeq) {
      if (continues(els.thread.lastElementChild, element)) element.classList.add('cont');
      els.thread.append(element);
      view.lastSeq = message.seq;
    } else {
      const next = [...els.thread.children].find((node) => Number(node.dataset.seq) > message.seq);
      els.thread.insertBefore(element, next || null);
    }
    updateCount();
    if (live) {
      if (follow) {
        scrollToEnd();
      } else {
        els.newMessages.hidden = false;
      }
    }
  }

  // A message that follows one of the same speaker drops the avatar and the name: it reads as a run.
  function continues(previous, next) {
    if (!previous || next.classList.contains('stage') || previous.dataset.type !== next.dataset.type) return false;
    if (next.dataset.type === 'agent') return previous.dataset.agent === next.dataset.agent;
    return next.dataset.type === 'user' && previous.dataset.author === next.dataset.author;
  }

  function renderMessage(message) {
    const node = el('div', 'msg msg-' + message.message_type);
    node.dataset.seq = message.seq;
    node.dataset.id = message.id;
    node.dataset.type = message.message_type;
    node.dataset.action = message.action_type;
    node.dataset.status = message.action_status;
    if (message.message_type === 'system') {
      renderSystem(node, message);
    } else if (message.message_type === 'agent') {
      renderAgent(node, message);
    } else {
      renderUser(node, message);
    }
    return node;
  }

  function renderAgent(node, message) {
    const agent = message.agent_type || 'agent';
    node.dataset.agent = agent;
    const content = message.content;
    if (/^Starting \S+ agent - /.test(content)) node.classList.add('stage');
    if (/ agent completed: /.test(content)) node.classList.add('done');
    const metadata = message.metadata || {};
    if (metadata.inReplyTo !== undefined) node.classList.add('reply');

    const avatar = el('div', 'avatar', AGENT_INITIALS[agent] || agent.charAt(0).toUpperCase());
    avatar.setAttribute('aria-hidden', 'true');
    const bubble = el('div', 'bubble');
    const speaker = el('div', 'speaker');
    speaker.append(el('span', 'badge agent', message.agent_type ? agent + ' agent' : 'agent'));
    const line = el('div', 'line');
    const text = el('div', 'content', content);
    if (/: PASSED$|^PASS |^Tests: \d+ passed, 0 failed$/.test(content)) text.classList.add('pass');
    if (/: FAILED$|^FAIL |^Build error: |^Tests: \d+ passed, [1-9]\d* failed$/.test(content)) text.classList.add('fail');
    if (/^\s+✓ /.test(content)) text.classList.add('case');
    const meta = el('div', 'meta');
    if (metadata.inReplyTo !== undefined) meta.append(el('span', 'reply-tag', '↩ reply'));
    if (typeof metadata.operation === 'string') meta.append(el('span', 'badge op', metadata.operation.replace('_', ' ')));
    meta.append(el('span', 'time', time(message.created_at)));
    line.append(text, meta);
    bubble.append(speaker, line);
    node.append(avatar, bubble);
  }

  function renderUser(node, message) {
    node.classList.add('action-' + message.action_type);
    const who = message.author || 'someone';
    node.dataset.author = who;
    const avatar = el('div', 'avatar', who.charAt(0).toUpperCase());
    avatar.setAttribute('aria-hidden', 'true');
    const bubble = el('div', 'bubble');
    const meta = el('div', 'meta');
    meta.append(el('span', 'who', who));
    meta.append(el('span', 'badge action action-' + message.action_type, message.action_type));
    const status = el('span', 'badge status-badge st-' + message.action_status, message.action_status);
    meta.append(status, el('span', 'time', time(message.created_at)));
    bubble.append(meta, el('div', 'content', message.content));
    const metadata = message.metadata || {};
    if (message.action_type === 'redirect' && typeof metadata.newTaskDescription === 'string'
        && metadata.newTaskDescription !== message.content) {
      bubble.append(el('div', 'new-task', 'New task: ' + metadata.newTaskDescription));
    }
    node.append(bubble, avatar);
  }

  function renderSystem(node, message) {
    const metadata = message.metadata || {};
    const event = typeof metadata.workflowEvent === 'string' ? metadata.workflowEvent.replace('workflow:', '') : null;
    if (event) node.classList.add('ev-' + event);
    if (!event && /^Creating new workflow/.test(message.content)) node.classList.add('ev-redirecting');
    const pill = el('div', 'system');
    pill.append(el('span', 'text', message.content));
    if (event === 'redirected' && metadata.newWorkflowId !== undefined) {
      pill.append(workflowLink(metadata.newWorkflowId, 'Open #' + metadata.newWorkflowId + ' →'));
    }
    pill.append(el('span', 'time', time(message.created_at)));
    node.append(pill);
  }

  function setStatus(entry, status) {
    if (entry.message.action_status === status) return;
    entry.message.action_status = status;
    entry.element.dataset.status = status;
    const badge = entry.element.querySelector('.status-badge');
    if (badge) {
      badge.textContent = status;
      badge.className = 'badge status-badge st-' + status;
    }
  }

  // A user message's status changes (pending → processed) without an event of its own: when some
  // are still open, read them again after the thread moved on.
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;
  function scheduleStatusRefresh() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(refreshOpenStatuses, 400);
  }

  async function refreshOpenStatuses() {
    refreshTimer = null;
    if (refreshing) {
      refreshAgain = true; // the thread moved on while this read: read again when it is done
      return;
    }
    if (!view.loaded) return;
    const open = [...view.bySeq.values()].filter((entry) => entry.message.message_type === 'user'
        && OPEN_STATUSES.has(entry.message.action_status)).map((entry) => entry.message.seq);
    if (open.length === 0) return;
    refreshing = true;
    const id = view.workflowId;
    try {
      const last = Math.max(...open);
      for (let after = Math.min(...open) - 1; after < last;) {
        const page = await api('GET', `/api/workflows/${id}/messages?after=${after}&limit=${PAGE}`);
        if (id !== view.workflowId || page.messages.length === 0) break;
        for (const message of page.messages) {
          const entry = view.bySeq.get(message.seq);
          if (entry) setStatus(entry, message.action_status);
        }
        after = page.messages[page.messages.length - 1].seq;
      }
    } catch (ignored) {
      // tried again on the next event
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        scheduleStatusRefresh();
      }
    }
  }

  function isNearEnd() {
    const thread = els.thread;
    return thread.scrollHeight - thread.scrollTop - thread.clientHeight < 120;
  }

  function scrollToEnd() {
    els.thread.scrollTop = els.thread.scrollHeight;
    els.newMessages.hidden = true;
  }

  els.newMessages.addEventListener('click', scrollToEnd);
  els.thread.addEventListener('scroll', () => {
    if (isNearEnd()) els.newMessages.hidden = true;
  });

  // ---- sending ----

  async function sendMessage(action, content) {
    els.composerError.textContent = '';
    const body = { content, action_type: action };
    if (action === 'redirect') body.metadata = { newTaskDescription: content };
    try {
      const result = await api('POST', `/api/workflows/${view.workflowId}/messages`, body);
      els.text.value = '';
      if (result.actionTaken === 'ignored') toast('Not applied: ' + result.reason);
    } catch (error) {
      els.composerError.textContent = error.message;
    }
  }

  async function control(path) {
    els.composerError.textContent = '';
    const method = path === 'cancel' ? 'DELETE' : 'POST';
    const url = path === 'cancel' ? `/api/workflows/${view.workflowId}` : `/api/workflows/${view.workflowId}/${path}`;
    try {
      const result = await api(method, url);
      if (result.actionTaken === 'ignored') toast('Not applied: ' + result.reason);
    } catch (error) {
      els.composerError.textContent = error.message;
    }
  }

  els.pause.addEventListener('click', () => control('pause'));
  els.resume.addEventListener('click', () => control('unpause'));
  els.cancel.addEventListener('click', () => control('cancel'));

  function composed(what) {
    const content = els.text.value.trim();
    if (content === '') {
      els.composerError.textContent = 'Write ' + what + ' first.';
      els.text.focus();
      return null;
    }
    return content;
  }

  els.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const action = els.action.value;
    const content = els.text.value.trim();
    if (content === '' && (action === 'pause' || action === 'resume' || action === 'cancel')) {
      control(action === 'resume' ? 'unpause' : action);
      return;
    }
    const text = composed(action === 'redirect' ? 'the new task' : 'a message');
    if (text !== null) sendMessage(action, text);
  });
  els.instruction.addEventListener('click', () => {
    const text = composed('an instruction');
    if (text !== null) sendMessage('instruction', text);
  });
  els.redirect.addEventListener('click', () => {
    const text = composed('the new task');
    if (text !== null) sendMessage('redirect', text);
  });
  els.text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) els.composer.requestSubmit();
  });


  // ---- the WebSocket ----

  function setConnection(state, text) {
    els.connection.dataset.state = state;
    els.connection.textContent = text;
  }

  function sendOnSocket(message) {
    if (socket.ws && socket.ws.readyState === WebSocket.OPEN) socket.ws.send(JSON.stringify(message));
  }

  function connect() {
    socket.timer = null;
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    socket.ws = ws;
    ws.addEventListener('open', () => {
      socket.retryMillis = 1000;
      setConnection('online', 'Live');
      socket.subscribedTo = null;
      if (!view.loaded) socket.droppedAt = null; // nothing on the page to catch up
      subscribe();
    });
    ws.addEventListener('message', (event) => onSocketMessage(JSON.parse(event.data)));
    ws.addEventListener('close', () => {
      if (socket.ws !== ws) return;
      socket.ws = null;
      socket.subscribedTo = null;
      if (socket.droppedAt === null) socket.droppedAt = view.lastSeq;
      const seconds = Math.round(socket.retryMillis / 1000);
      setConnection('offline', `Connection lost: reconnecting in ${seconds} s`);
      socket.timer = setTimeout(connect, socket.retryMillis);
      socket.retryMillis = Math.min(socket.retryMillis * 2, 8000);
    });
  }

  // Follows the open workflow from the last message on the page: a reconnect misses nothing.
  function subscribe() {
    if (!view.loaded || view.workflowId === null || socket.subscribedTo === view.workflowId) return;
    if (!socket.ws || socket.ws.readyState !== WebSocket.OPEN) return;
    socket.subscribedTo = view.workflowId;
    sendOnSocket({ type: 'subscribe:workflow', workflowId: view.workflowId, lastSeq: view.lastSeq });
  }

  function onSocketMessage(data) {
    if (data.event === 'error') {
      toast('The server refused a WebSocket message: ' + data.error);
      if (data.status >= 500 && socket.subscribedTo !== null) {
        // The server could not subscribe us (its database failed): try again shortly.
        socket.subscribedTo = null;
        setTimeout(subscribe, 2000);
      }
      return;
    }
    if (data.workflowId !== view.workflowId) return;
    switch (data.event) {
      case 'message:new':
        addMessage(data.message, true);
        scheduleStatusRefresh();
        break;
      case 'workflow:updated':
        renderWorkflow(data.workflow);
        if (socket.droppedAt !== null) {
          const missed = Math.max(0, data.workflow.last_seq - socket.droppedAt);
          toast(`Reconnected: caught up ${missed} message${missed === 1 ? '' : 's'} sent while the connection was down.`);
          socket.droppedAt = null;
        }
        loadList();
        break;
      case 'workflow:paused':
        toast('Workflow paused' + (data.author ? ' by ' + data.author : ''));
        break;
      case 'workflow:unpaused':
        toast('Workflow resumed' + (data.author ? ' by ' + data.author : ''));
        break;
      case 'workflow:cancelled':
        toast('Workflow cancelled' + (data.author ? ' by ' + data.author : ''));
        break;
      case 'workflow:redirected':
        toast(['Redirected: continues in ', workflowLink(data.newWorkflowId, 'workflow #' + data.newWorkflowId)], 8000);
        break;
      case 'workflow:completed':
        toast('Workflow completed');
        break;
      case 'workflow:failed':
        toast('Workflow failed: ' + data.reason);
        break;
      default:
        break; // subscribed, unsubscribed
    }
  }

  // ---- start ----

  loadSession();
  connect();
  loadList();
  setInterval(loadList, 5000);
  route();
})();

// <workflow-thread workflow-id="7" api="/api" ws="/ws">: one workflow's conversation thread, live
// over the WebSocket, with the controls a person steers it with. No framework and no build step.
// Every text that comes from the server is put into the page with textContent, never as HTML.
//
// Attributes: workflow-id (none: the element waits, connected, for one), api (the REST API's mount
// path, default /api), ws (the WebSocket's path or ws:// URL, default /ws), link-prefix (where a
// link to another workflow points, default /workflows/), agents (the agent types "Skip to…" offers,
// comma-separated, default the demo's plan,scaffold,code,test,review,docs). Events (bubbling): workflow-thread-connection
// {state, text}, workflow-thread-updated {workflow}, workflow-thread-navigate {workflowId, href}
// (cancelable: unless cancelled, the element switches to that workflow itself).
// One element per page: its parts carry ids (thread, composer-text, …).
'use strict';

(() => {
  const PAGE = 500;
  const AGENT_INITIALS = { plan: 'P', scaffold: 'S', code: 'C', test: 'T', review: 'R', docs: 'D' };
  const FINISHED = new Set(['cancelled', 'redirected', 'completed', 'failed']);
  const CONTROL_ACTIONS = ['pause', 'resume', 'cancel', 'redirect'];
  const OPEN_STATUSES = new Set(['pending', 'acknowledged']);
  const DEFAULT_HEARTBEAT_MILLIS = 15000;
  const DEFAULT_AGENTS = 'plan,scaffold,code,test,review,docs';
  // What a person's message may carry to steer (metadata keys of the library's Message).
  const URGENT_ACTIONS = new Set(['comment', 'instruction']);

  // One REST call: JSON in and out; a refusal throws an Error with the server's status and field.
  async function requestJson(base, method, path, body) {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(base + path, options);
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

  // Static markup only: nothing of the server's goes through innerHTML.
  const TEMPLATE = `
<section id="not-found" class="wt-not-found" hidden>
  <h1>No such workflow</h1>
  <p id="not-found-text"></p>
</section>
<section id="workflow-view" class="workflow-view" hidden>
  <div class="workflow-header">
    <div class="title-row">
      <span id="workflow-id" class="workflow-id"></span>
      <h1 id="workflow-task"></h1>
      <span class="spacer"></span>
      <span class="connection wt-connection" data-state="connecting" role="status">Connecting…</span>
    </div>
    <div class="status-row">
      <span id="workflow-status" class="badge status"></span>
      <span id="paused-badge" class="badge paused-badge" hidden>Paused</span>
      <span id="workflow-links" class="workflow-links"></span>
      <span id="message-count" class="muted"></span>
      <span class="spacer"></span>
      <div class="controls">
        <button id="pause-button" type="button">Pause</button>
        <button id="resume-button" type="button">Resume</button>
        <button id="cancel-button" type="button" class="danger">Cancel</button>
      </div>
    </div>
  </div>
  <div id="notice" class="notice" hidden role="status"></div>
  <div class="thread-wrap">
    <div id="thread" class="thread" role="log" aria-live="polite" aria-label="Conversation thread"></div>
    <button id="new-messages" class="new-messages" type="button" hidden>New messages ↓</button>
    <div id="toasts" class="toasts" aria-live="polite"></div>
  </div>
  <form id="composer" class="composer">
    <label for="composer-text" class="sr-only">Message</label>
    <textarea id="composer-text" rows="2"
              placeholder="Write to the agents: a comment, an instruction, or a new task to redirect to (Ctrl+Enter sends)"></textarea>
    <div class="composer-actions">
      <label class="action-label" for="action-select">Action</label>
      <select id="action-select">
        <option value="comment">Comment</option>
        <option value="instruction">Instruction</option>
        <option value="pause">Pause</option>
        <option value="resume">Resume</option>
        <option value="cancel">Cancel</option>
        <option value="redirect">Redirect (new task)</option>
      </select>
      <button id="send-button" type="submit" class="primary">Send</button>
      <label class="urgent-label" for="urgent-check"
             title="A comment or instruction that cuts the agent's step in progress short, instead of waiting for its next checkpoint">
        <input id="urgent-check" type="checkbox"> Urgent: interrupt the agent now</label>
      <span class="spacer"></span>
      <button id="send-instruction-button" type="button">Send Instruction</button>
      <button id="redirect-button" type="button">Redirect (new task)</button>
      <label class="sr-only" for="skip-select">Skip to agent</label>
      <select id="skip-select"><option value="">Skip to…</option></select>
      <button id="skip-button" type="button" title="Ends the agent at work and goes on with the one chosen">Skip</button>
    </div>
    <div id="reply-to" class="reply-to" hidden>
      <span id="reply-to-text"></span>
      <button id="reply-cancel" type="button" aria-label="Stop replying">×</button>
    </div>
    <p id="composer-error" class="form-error" role="alert"></p>
  </form>
  <dialog id="cancel-dialog" class="wt-dialog" aria-labelledby="cancel-title">
    <form id="cancel-form" method="dialog">
      <h2 id="cancel-title">Cancel this workflow?</h2>
      <p class="muted">The agents stop at their next checkpoint; a cancelled workflow cannot be resumed.</p>
      <label for="cancel-reason">Reason (optional)</label>
      <input id="cancel-reason" type="text" maxlength="500" autocomplete="off">
      <div class="dialog-actions">
        <button id="cancel-back" type="button">Back</button>
        <button id="cancel-confirm" type="submit" class="danger">Cancel workflow</button>
      </div>
    </form>
  </dialog>
</section>`;

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

  // Everything of one element: its parts, the workflow it shows, its WebSocket.
  function mount(host) {
    host.innerHTML = TEMPLATE;
    const $ = (id) => host.querySelector('#' + id);
    const els = {
      notFound: $('not-found'), notFoundText: $('not-found-text'), view: $('workflow-view'),
      workflowId: $('workflow-id'), workflowTask: $('workflow-task'), connection: host.querySelector('.wt-connection'),
      status: $('workflow-status'), pausedBadge: $('paused-badge'), links: $('workflow-links'), count: $('message-count'),
      pause: $('pause-button'), resume: $('resume-button'), cancel: $('cancel-button'), notice: $('notice'),
      thread: $('thread'), newMessages: $('new-messages'), toasts: $('toasts'), composer: $('composer'),
      text: $('composer-text'), action: $('action-select'), send: $('send-button'),
      instruction: $('send-instruction-button'), redirect: $('redirect-button'), composerError: $('composer-error'),
      cancelDialog: $('cancel-dialog'), cancelForm: $('cancel-form'), cancelReason: $('cancel-reason'),
      cancelBack: $('cancel-back'), urgent: $('urgent-check'), skipSelect: $('skip-select'), skip: $('skip-button'),
      replyTo: $('reply-to'), replyToText: $('reply-to-text'), replyCancel: $('reply-cancel'),
    };
    const attr = (name, fallback) => host.getAttribute(name) || fallback;
    const apiBase = () => attr('api', '/api').replace(/\/$/, '');

    const view = {
      workflowId: null, workflow: null, loaded: false, lastSeq: 0,
      bySeq: new Map(), // seq -> {message, element}
      byId: new Map(), // message id -> seq
      loadToken: 0,
      stick: true, // the thread shows its end: keep it there as it grows or shrinks
      closed: new Map(), // question id -> the system message that closed it
      replies: new Map(), // question id -> the first person's message that answered it
      replyTo: null, // the question the composer answers in words, or null
    };
    for (const agent of attr('agents', DEFAULT_AGENTS).split(',').map((name) => name.trim()).filter(Boolean)) {
      const option = el('option', '', agent + ' agent');
      option.value = agent;
      els.skipSelect.append(option);
    }
    const socket = {
      ws: null, retryMillis: 1000, timer: null, subscribedTo: null,
      droppedAt: null, // lastSeq when the connection dropped, to say how much was caught up
      heardAt: 0, heartbeatMillis: DEFAULT_HEARTBEAT_MILLIS, watchdog: null, stopped: false,
    };

    function emit(name, detail, cancelable) {
      return host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, cancelable: !!cancelable }));
    }

    function workflowLink(id, text) {
      const a = el('a', '', text);
      a.href = attr('link-prefix', '/workflows/') + Number(id);
      a.dataset.link = '';
      a.dataset.workflowId = Number(id);
      return a;
    }

    host.addEventListener('click', (event) => {
      const link = event.target.closest('a[data-workflow-id]');
      if (!link || !host.contains(link) || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      const workflowId = Number(link.dataset.workflowId);
      if (emit('workflow-thread-navigate', { workflowId, href: link.getAttribute('href') }, true)) {
        host.setAttribute('workflow-id', String(workflowId));
      }
    });

    function toast(parts, millis = 4000) {
      const node = el('div', 'toast');
      for (const part of [].concat(parts)) {
        node.append(typeof part === 'string' ? document.createTextNode(part) : part);
      }
      els.toasts.append(node);
      setTimeout(() => node.remove(), millis);
    }

    function api(method, path, body) {
      return requestJson(apiBase(), method, path, body);
    }

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
      // A toast belongs to the workflow it spoke of: it does not follow the person elsewhere.
      els.toasts.replaceChildren();
    }

    function showOnly(section) {
      for (const node of [els.notFound, els.view]) node.hidden = node !== section;
    }

    async function openWorkflow(id) {
      if (view.workflowId === id && view.loaded) return;
      leaveWorkflow();
      const token = view.loadToken;
      view.workflowId = id;
      view.lastSeq = 0;
      view.bySeq.clear();
      view.byId.clear();
      view.closed.clear();
      view.replies.clear();
      setReplyTo(null);
      view.stick = true;
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
      for (const button of [els.pause, els.resume, els.cancel, els.instruction, els.redirect, els.skip]) button.disabled = true;
      showOnly(els.view);
      try {
        const workflow = await api('GET', `/workflows/${id}`);
        if (token !== view.loadToken) return;
        renderWorkflow(workflow);
        for (let after = 0; ;) {
          const page = await api('GET', `/workflows/${id}/messages?after=${after}&limit=${PAGE}`);
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
      const stick = isNearEnd();
      view.workflow = workflow;
      const finished = FINISHED.has(workflow.status);
      const pauseRequested = workflow.pause_requested_at !== null && !finished;
      els.workflowId.textContent = '#' + workflow.workflow_id;
      els.workflowTask.textContent = workflow.task_description !== undefined ? workflow.task_description
        : 'Workflow ' + workflow.workflow_id;
      els.status.textContent = workflow.status;
      els.status.className = 'badge status status-' + workflow.status;
      els.status.dataset.status = workflow.status;
      els.pausedBadge.hidden = !workflow.is_paused;
      els.pausedBadge.textContent = workflow.paused_at ? 'Paused since ' + time(workflow.paused_at) : 'Paused';

      els.links.replaceChildren();
      if (workflow.redirected_from !== undefined && workflow.redirected_from !== null) {
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
      els.skip.disabled = finished;
      els.skipSelect.disabled = finished;
      els.urgent.disabled = finished;
      for (const node of els.thread.querySelectorAll('.msg.question')) updateQuestion(node);      for (const option of els.action.options) {
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
      // The notice above the thread takes room from it: the end stays in view if it was.
      if (stick && view.loaded) scrollToEnd();
      emit('workflow-thread-updated', { workflow });
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
      noteAnswer(message);
      const element = renderMessage(message);
      const entry = { message, element };
      view.bySeq.set(message.seq, entry);
      view.byId.set(message.id, message.seq);
      const closes = questionClosedBy(message);
      if (closes !== null) {
        const question = view.byId.has(closes) ? view.bySeq.get(view.byId.get(closes)) : null;
        if (question) updateQuestion(question.element);
      }
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
      if (metadata.question === true) node.classList.add('question');
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
      if (metadata.question === true) bubble.append(renderQuestion(message));
      node.append(avatar, bubble);
      if (metadata.question === true) updateQuestion(node);
    }

    // ---- questions: an agent asks (metadata.question, options, deadline), a person answers ----

    // The question a system message closes (metadata.questionId: answered, or its deadline passed), or null.
    function questionClosedBy(message) {
      const metadata = message.metadata || {};
      if (message.message_type !== 'system' || !Number.isInteger(metadata.questionId)) return null;
      if (!view.closed.has(metadata.questionId)) view.closed.set(metadata.questionId, message);
      return metadata.questionId;
    }

    // Remembers the first person's answer to each question, to show which option was chosen.
    function noteAnswer(message) {
      const metadata = message.metadata || {};
      if (message.message_type === 'user' && Number.isInteger(metadata.inReplyTo) && !view.replies.has(metadata.inReplyTo)) {
        view.replies.set(metadata.inReplyTo, message);
      }
    }

    function renderQuestion(message) {
      const metadata = message.metadata;
      const box = el('div', 'question-box');
      const options = el('div', 'options');
      options.setAttribute('role', 'group');
      options.setAttribute('aria-label', 'Answers');
      const choices = Array.isArray(metadata.options) ? metadata.options.filter((option) => typeof option === 'string') : [];
      choices.forEach((option, index) => {
        const button = el('button', 'option', option);
        button.type = 'button';
        button.id = `question-${Number(message.id)}-option-${index}`;
        button.dataset.choice = option;
        button.addEventListener('click', () => answer(message, option));
        options.append(button);
      });
      const reply = el('button', 'reply-button', 'Reply in words…');
      reply.type = 'button';
      reply.id = `question-${Number(message.id)}-reply`;
      reply.addEventListener('click', () => setReplyTo(message));
      options.append(reply);
      box.append(options);
      const deadline = typeof metadata.deadline === 'string' ? time(metadata.deadline) : '';
      box.append(el('div', 'deadline', deadline ? 'Answer by ' + deadline + ', or the agent goes on without you' : ''));
      box.append(el('div', 'answer'));
      return box;
    }

    // Enables the question's answers while it is open, else shows how it was closed.
    function updateQuestion(node) {
      const id = Number(node.dataset.id);
      const closedBy = view.closed.get(id);
      const finished = view.workflow !== null && FINISHED.has(view.workflow.status);
      const open = !closedBy && !finished;
      node.dataset.answered = closedBy ? 'true' : 'false';
      for (const button of node.querySelectorAll('.options button')) {
        button.disabled = !open || node.dataset.answering === 'true';
      }
      const reply = closedBy ? view.replies.get(id) : null;
      const chosen = reply && reply.metadata ? reply.metadata.choice : undefined;
      for (const button of node.querySelectorAll('.options .option')) {
        button.classList.toggle('chosen', !!closedBy && !(closedBy.metadata || {}).timedOut && button.dataset.choice === chosen);
      }
      const answerNode = node.querySelector('.answer');
      if (answerNode) answerNode.textContent = closedBy ? closedBy.content : '';
      const deadline = node.querySelector('.deadline');
      if (deadline) deadline.hidden = !open;
      if (!open && view.replyTo === id) setReplyTo(null);
    }

    // Posts the option chosen; the buttons stay disabled once the server took it (the closing
    // notice follows at once), and come back if it refused.
    async function answer(question, option) {
      const entry = view.bySeq.get(question.seq);
      if (!entry) return;
      entry.element.dataset.answering = 'true';
      updateQuestion(entry.element);
      const taken = await post({ content: option, action_type: 'comment', metadata: { inReplyTo: question.id, choice: option } });
      if (!taken) delete entry.element.dataset.answering;
      updateQuestion(entry.element);
    }

    // The composer answers this question in words (or, with null, no question).
    function setReplyTo(question) {
      view.replyTo = question ? question.id : null;
      els.replyTo.hidden = !question;
      els.replyToText.textContent = question ? 'Replying to: ' + question.content : '';
      if (question) {
        els.action.value = 'comment';
        els.text.focus();
      }
    }
    els.replyCancel.addEventListener('click', () => setReplyTo(null));

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
      if (metadata.interruptedBy !== undefined) node.classList.add('ev-interrupting');
      if (metadata.questionId !== undefined) node.classList.add('ev-question-closed');
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
          const page = await api('GET', `/workflows/${id}/messages?after=${after}&limit=${PAGE}`);
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
      view.stick = true;
    }

    els.newMessages.addEventListener('click', scrollToEnd);
    els.thread.addEventListener('scroll', () => {
      view.stick = isNearEnd();
      if (view.stick) els.newMessages.hidden = true;
    });
    // Whatever makes the thread shorter (a notice above it, a taller composer, a smaller window)
    // keeps its end in view when it was.
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        if (view.stick && view.loaded) els.thread.scrollTop = els.thread.scrollHeight;
      }).observe(els.thread);
    }

    // ---- sending ----

    // Sends what the composer holds: urgent (metadata.delivery) and a reply to a question
    // (metadata.inReplyTo) go with a comment or an instruction; extra is more metadata.
    async function sendMessage(action, content, extra) {
      const metadata = Object.assign({}, extra);
      if (action === 'redirect') metadata.newTaskDescription = content;
      if (URGENT_ACTIONS.has(action) && els.urgent.checked) metadata.delivery = 'interrupt';
      if (URGENT_ACTIONS.has(action) && view.replyTo !== null && metadata.skipToAgent === undefined) {
        metadata.inReplyTo = view.replyTo;
      }
      const body = { content, action_type: action };
      if (Object.keys(metadata).length) body.metadata = metadata;
      if (await post(body)) {
        els.text.value = '';
        els.urgent.checked = false;
        if (metadata.inReplyTo !== undefined) setReplyTo(null);
      }
    }

    // Posts a message; true when the server took it.
    async function post(body) {
      els.composerError.textContent = '';
      try {
        const result = await api('POST', `/workflows/${view.workflowId}/messages`, body);
        if (result.actionTaken === 'ignored') toast('Not applied: ' + result.reason);
        return true;
      } catch (error) {
        els.composerError.textContent = error.message;
        return false;
      }
    }

    async function control(path, content) {
      els.composerError.textContent = '';
      const method = path === 'cancel' ? 'DELETE' : 'POST';
      const url = path === 'cancel' ? `/workflows/${view.workflowId}` : `/workflows/${view.workflowId}/${path}`;
      try {
        const result = await api(method, url, content === undefined ? undefined : { content });
        if (content !== undefined) els.text.value = '';
        if (result.actionTaken === 'ignored') toast('Not applied: ' + result.reason);
      } catch (error) {
        els.composerError.textContent = error.message;
      }
    }

    els.pause.addEventListener('click', () => control('pause'));
    els.resume.addEventListener('click', () => control('unpause'));
    els.cancel.addEventListener('click', () => confirmCancel(''));

    // Cancel asks first, with an optional reason; Back or Escape sends nothing.
    function confirmCancel(reason) {
      els.cancelReason.value = reason;
      els.cancelDialog.showModal();
      els.cancelReason.focus();
    }
    els.cancelBack.addEventListener('click', () => els.cancelDialog.close());
    els.cancelForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const reason = els.cancelReason.value.trim();
      els.cancelDialog.close();
      control('cancel', reason === '' ? undefined : reason);
    });

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
      if (action === 'cancel') {
        confirmCancel(content);
        return;
      }
      if (content === '' && (action === 'pause' || action === 'resume')) {
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
    // Skip: an instruction naming the agent to go on with; the composer's words, if any, go with it.
    els.skip.addEventListener('click', () => {
      const agent = els.skipSelect.value;
      if (agent === '') {
        els.composerError.textContent = 'Choose the agent to skip to first.';
        els.skipSelect.focus();
        return;
      }
      const content = els.text.value.trim() || 'Skip to the ' + agent + ' agent';
      sendMessage('instruction', content, { skipToAgent: agent }).then(() => { els.skipSelect.value = ''; });
    });
    els.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) els.composer.requestSubmit();
    });

    // ---- the WebSocket ----

    function setConnection(state, text) {
      els.connection.dataset.state = state;
      els.connection.textContent = text;
      emit('workflow-thread-connection', { state, text });
    }

    function sendOnSocket(message) {
      if (socket.ws && socket.ws.readyState === WebSocket.OPEN) socket.ws.send(JSON.stringify(message));
    }

    function socketUrl() {
      const ws = attr('ws', '/ws');
      if (/^wss?:\/\//.test(ws)) return ws;
      return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + ws;
    }

    function connect() {
      socket.timer = null;
      if (socket.stopped) return;
      const ws = new WebSocket(socketUrl());
      socket.ws = ws;
      ws.addEventListener('open', () => {
        if (socket.ws !== ws) return;
        socket.retryMillis = 1000;
        socket.heardAt = Date.now();
        setConnection('online', 'Live');
        socket.subscribedTo = null;
        if (!view.loaded) socket.droppedAt = null; // nothing on the page to catch up
        subscribe();
      });
      ws.addEventListener('message', (event) => {
        if (socket.ws !== ws) return;
        socket.heardAt = Date.now();
        if (els.connection.dataset.state !== 'online') setConnection('online', 'Live');
        onSocketMessage(JSON.parse(event.data));
      });
      ws.addEventListener('close', () => dropped(ws, 'Connection lost'));
    }

    // The connection ended, or went silent: reconnect after a growing delay, then catch up.
    function dropped(ws, why) {
      if (socket.ws !== ws) return;
      socket.ws = null;
      socket.subscribedTo = null;
      if (socket.droppedAt === null) socket.droppedAt = view.lastSeq;
      if (socket.stopped) return;
      const seconds = Math.round(socket.retryMillis / 1000);
      setConnection('offline', `${why}: reconnecting in ${seconds} s`);
      socket.timer = setTimeout(connect, socket.retryMillis);
      socket.retryMillis = Math.min(socket.retryMillis * 2, 8000);
    }

    // The server sends a heartbeat whenever it has been silent for its interval: a connection that
    // hears nothing for two of them is dead, even though no close reached the page.
    function watch() {
      const ws = socket.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      if (Date.now() - socket.heardAt > 2 * socket.heartbeatMillis + 3000) {
        try {
          ws.close();
        } catch (ignored) {
          // it is being dropped anyway
        }
        dropped(ws, 'No word from the server');
      }
    }

    // Follows the open workflow from the last message on the page: a reconnect misses nothing.
    function subscribe() {
      if (!view.loaded || view.workflowId === null || socket.subscribedTo === view.workflowId) return;
      if (!socket.ws || socket.ws.readyState !== WebSocket.OPEN) return;
      socket.subscribedTo = view.workflowId;
      sendOnSocket({ type: 'subscribe:workflow', workflowId: view.workflowId, lastSeq: view.lastSeq });
    }

    function onSocketMessage(data) {
      if (data.event === 'heartbeat') {
        if (Number.isFinite(data.intervalMillis) && data.intervalMillis > 0) socket.heartbeatMillis = data.intervalMillis;
        return;
      }
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

    return {
      show(id) {
        if (id === null) {
          leaveWorkflow();
          els.view.hidden = true;
          els.notFound.hidden = true;
        } else {
          openWorkflow(id);
        }
      },
      start() {
        socket.stopped = false;
        if (!socket.ws && socket.timer === null) connect();
        if (socket.watchdog === null) socket.watchdog = setInterval(watch, 1000);
      },
      stop() {
        socket.stopped = true;
        clearInterval(socket.watchdog);
        socket.watchdog = null;
        clearTimeout(socket.timer);
        socket.timer = null;
        const ws = socket.ws;
        socket.ws = null;
        if (ws) ws.close();
      },
    };
  }

  class WorkflowThreadElement extends HTMLElement {
    /** The element's REST call, for the page around it: requestJson(apiBase, method, path, body). */
    static requestJson(base, method, path, body) {
      return requestJson(base, method, path, body);
    }

    static get observedAttributes() {
      return ['workflow-id'];
    }

    connectedCallback() {
      if (!this.thread) this.thread = mount(this);
      this.thread.start();
      this.showAttribute();
    }

    disconnectedCallback() {
      if (this.thread) this.thread.stop();
    }

    attributeChangedCallback() {
      if (this.thread) this.showAttribute();
    }

    showAttribute() {
      const raw = this.getAttribute('workflow-id');
      this.thread.show(raw !== null && /^\d+$/.test(raw) ? Number(raw) : null);
    }
  }

  if (!customElements.get('workflow-thread')) customElements.define('workflow-thread', WorkflowThreadElement);
})();

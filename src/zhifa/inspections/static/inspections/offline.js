// 离线现场检查 (a static file: CSP forbids inline script). On the officer's today list and on-site pages:
// - registers the service worker (served from /inspections/sw.js) and asks it to keep today's pages;
// - keeps a queue of what the officer does without network in IndexedDB (check-in with its time and place,
//   photos as blobs, the result, and any other kind a page adds through window.zhifaOffline.enqueue);
// - when the network returns, sends the queue oldest first, one action per request, to
//   POST /api/inspections/inspections/<id>/sync (idempotent by the action's client id) and shows
//   离线 / 待同步 N 条 / 已同步, and the conflicts (冲突) the server kept with their reasons.
(function () {
  "use strict";
  var root = document.querySelector("[data-offline-root]");
  if (!root) { return; }
  var DB = "zhifa-offline", STORE = "actions";
  var KIND_LABELS = { check_in: "签到进企", photo: "现场照片", result: "检查结果", checklist: "检查表单结果" };
  var inspectionId = root.getAttribute("data-inspection") || "";
  var syncing = false;
  var counter = 0;
  // The capture time is the platform's time, not the phone's: a page loaded online says the server's time,
  // and the difference to the phone's clock is kept for the pages served from the cache later.
  var skewKey = "zhifa-offline-clock-skew-ms";
  if (navigator.onLine && root.getAttribute("data-server-now")) {
    try { localStorage.setItem(skewKey, String(Number(root.getAttribute("data-server-now")) - Date.now())); } catch (e) { /* private mode */ }
  }
  function platformNow() {
    var skew = 0;
    try { skew = Number(localStorage.getItem(skewKey)) || 0; } catch (e) { skew = 0; }
    return new Date(Date.now() + skew);
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        var store = req.result.createObjectStore(STORE, { keyPath: "client_id" });
        store.createIndex("inspection", "inspection");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(result && result.value !== undefined ? result.value : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function all() {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var req = db.transaction(STORE).objectStore(STORE).getAll();
        req.onsuccess = function () {
          db.close();
          resolve(req.result.sort(function (a, b) { return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0; }));
        };
        req.onerror = function () { db.close(); reject(req.error); };
      });
    });
  }

  function uuid() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // One captured action; ``blob`` for a photo. Returns the stored record.
  function enqueue(kind, payload, blob, filename) {
    var record = {
      client_id: uuid(),
      seq: Date.now() * 1000 + (counter++ % 1000),
      inspection: inspectionId,
      kind: kind,
      captured_at: platformNow().toISOString(),
      payload: payload || {},
      blob: blob || null,
      filename: filename || "",
      state: "pending",
      reason: ""
    };
    return tx("readwrite", function (store) { store.put(record); }).then(function () {
      render();
      return record;
    });
  }

  function remove(clientId) {
    return tx("readwrite", function (store) { store.delete(clientId); });
  }

  function mark(record, state, reason) {
    record.state = state; record.reason = reason || "";
    return tx("readwrite", function (store) { store.put(record); });
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function text(el, value) { if (el) { el.textContent = value; } }

  function fmt(iso) {
    var d = new Date(iso);  // shown in the phone's time zone (Beijing time on an officer's phone)
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }

  // The status line, this visit's pending work and its local refusals; and the page's sections as the
  // queued work leaves them (checked in → photos and result; result recorded → done).
  function render() {
    return all().then(function (records) {
      var pending = records.filter(function (r) { return r.state === "pending"; });
      pendingHere = pending.some(function (r) { return r.inspection === inspectionId; });
      var status = document.querySelector("[data-offline-status]");
      if (status) {
        var label, tone;
        if (!navigator.onLine) {
          label = "离线" + (pending.length ? " · 待同步 " + pending.length + " 条" : " · 现场记录将保存在本机");
          tone = "warning";
        } else if (pending.length) {
          label = "待同步 " + pending.length + " 条" + (syncing ? "（同步中…）" : "");
          tone = "info";
        } else {
          label = "已同步"; tone = "success";
        }
        status.hidden = false;
        status.className = "alert alert-" + tone + " py-2 small d-flex justify-content-between align-items-center gap-2";
        text(status.querySelector("[data-offline-label]"), label);
        status.setAttribute("data-state", !navigator.onLine ? "offline" : pending.length ? "pending" : "synced");
        status.setAttribute("data-pending", String(pending.length));
        var button = status.querySelector("[data-offline-sync]");
        if (button) { button.hidden = !navigator.onLine || !pending.length; }
      }
      var mine = records.filter(function (r) { return r.inspection === inspectionId && inspectionId; });
      var list = document.querySelector("[data-pending-list]");
      if (list) {
        list.textContent = "";
        mine.filter(function (r) { return r.state === "pending"; }).forEach(function (r) {
          var li = document.createElement("li");
          li.className = "list-group-item small";
          li.setAttribute("data-pending-kind", r.kind);
          var desc = KIND_LABELS[r.kind] || "现场记录";
          if (r.kind === "check_in") { desc += "：" + (r.payload.place || ""); }
          if (r.kind === "result") { desc += "：" + (r.payload.outcome_label || "") + " " + (r.payload.findings || ""); }
          li.textContent = desc + "（" + fmt(r.captured_at) + " 采集，待同步）";
          if (r.kind === "photo" && r.blob) {
            var img = document.createElement("img");
            img.src = URL.createObjectURL(r.blob); img.alt = "待同步照片"; img.className = "d-block mt-1 rounded border";
            img.style.maxWidth = "8rem";
            li.appendChild(img);
          }
          list.appendChild(li);
        });
        list.closest("[data-pending-box]").hidden = !list.children.length;
      }
      var refused = document.querySelector("[data-local-conflicts]");
      if (refused) {
        refused.textContent = "";
        mine.filter(function (r) { return r.state === "refused"; }).forEach(function (r) {
          var li = document.createElement("li");
          li.className = "list-group-item small list-group-item-danger";
          li.textContent = (KIND_LABELS[r.kind] || "现场记录") + "（" + fmt(r.captured_at) + " 采集）未执行：" + r.reason;
          var drop = document.createElement("button");
          drop.type = "button"; drop.className = "btn btn-sm btn-link"; drop.textContent = "从本机删除";
          drop.addEventListener("click", function () { remove(r.client_id).then(render); });
          li.appendChild(drop);
          refused.appendChild(li);
        });
        var box = document.querySelector("[data-conflicts]");
        if (box) { box.hidden = !(refused.children.length || box.querySelector("[data-server-conflict]")); }
      }
      var done = {};
      mine.filter(function (r) { return r.state === "pending"; }).forEach(function (r) { done[r.kind] = true; });
      if (done.check_in) {
        document.querySelectorAll("[data-offline-section=check_in]").forEach(function (el) { el.hidden = true; });
        document.querySelectorAll("[data-after-check-in]").forEach(function (el) { el.hidden = false; });
      }
      if (done.result) {
        document.querySelectorAll("[data-offline-section=result]").forEach(function (el) { el.hidden = true; });
      }
      return records;
    });
  }

  function payloadOf(form, names) {
    var data = new FormData(form), out = {};
    names.forEach(function (n) { out[n] = (data.get(n) || "").toString(); });
    return out;
  }

  function showError(form, message) {
    var box = form.querySelector("[data-offline-error]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-2 small"; box.setAttribute("role", "alert");
      box.setAttribute("data-offline-error", "");
      form.prepend(box);
    }
    box.textContent = message;
  }

  // Offline (or with work still queued, to keep the order), a form's submit becomes a queued action.
  function intercept(selector, kind, build) {
    var form = document.querySelector(selector);
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      all().then(function (records) {
        var queued = records.some(function (r) { return r.state === "pending" && r.inspection === inspectionId; });
        return navigator.onLine && !queued;
      }).then(function (online) {
        if (online) { form.submit(); return; }
        var built = build(form);
        if (typeof built === "string") { showError(form, built); return; }
        enqueue(kind, built.payload, built.blob, built.filename).then(function () {
          form.reset();
          var err = form.querySelector("[data-offline-error]");
          if (err) { err.remove(); }
          if (navigator.onLine) { sync(); }
        });
      });
      event.preventDefault();
    });
  }

  intercept("form[data-offline-form=check_in]", "check_in", function (form) {
    var p = payloadOf(form, ["place"]);
    return p.place.trim() ? { payload: { place: p.place.trim() } } : "请填写检查地点。";
  });
  intercept("form[data-offline-form=photo]", "photo", function (form) {
    var file = form.querySelector("input[type=file]").files[0];
    if (!file) { return "请选择照片。"; }
    var kind = /^video\//.test(file.type) ? "video" : /^audio\//.test(file.type) ? "audio" : "photo";
    var p = payloadOf(form, ["description"]);
    return { payload: { evidence_kind: kind, description: p.description }, blob: file, filename: file.name || "photo" };
  });
  intercept("form[data-offline-form=result]", "result", function (form) {
    var p = payloadOf(form, ["outcome", "findings", "rectify_deadline"]);
    if (!p.outcome) { return "请选择检查结果。"; }
    if (!p.findings.trim()) { return "请填写检查情况。"; }
    if (p.outcome === "rectify" && !p.rectify_deadline) { return "责令整改须写明整改期限。"; }
    var label = form.querySelector("label[for=outcome-" + p.outcome + "]");
    return { payload: { outcome: p.outcome, outcome_label: label ? label.textContent : "", findings: p.findings.trim(), rectify_deadline: p.rectify_deadline } };
  });

  // 一表通查: the checklist form posts over htmx when online; offline (or with this visit's work still queued, to
  // keep the order) its lines become one queued action. A capturing listener runs before htmx's own.
  var pendingHere = false;
  var checklistForm = document.querySelector("form[data-offline-form=checklist]");
  if (checklistForm) {
    document.addEventListener("submit", function (event) {
      if (event.target !== checklistForm || (navigator.onLine && !pendingHere)) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      var results = [];
      checklistForm.querySelectorAll("fieldset[data-line]").forEach(function (fs) {
        var checked = fs.querySelector("input[type=radio]:checked");
        if (!checked) { return; }
        var key = checked.name.replace(/^result_/, "");
        var note = fs.querySelector("input[name='note_" + key + "']");
        results.push({ key: key, result: checked.value, note: note ? note.value.trim() : "" });
      });
      if (!results.length) { showError(checklistForm, "请至少录入一项检查表单结果。"); return; }
      enqueue("checklist", { results: results }).then(function () {
        var err = checklistForm.querySelector("[data-offline-error]");
        if (err) { err.remove(); }
        checklistForm.setAttribute("data-queued", String(results.length));
        if (navigator.onLine) { sync(); }
      });
    }, true);
  }

  function send(record) {
    var body = new FormData();
    body.append("client_id", record.client_id);
    body.append("kind", record.kind);
    body.append("captured_at", record.captured_at);
    var payload = {};
    Object.keys(record.payload).forEach(function (k) { if (k !== "outcome_label") { payload[k] = record.payload[k]; } });
    body.append("payload", JSON.stringify(payload));
    if (record.blob) { body.append("file", record.blob, record.filename || "photo"); }
    var url = root.getAttribute("data-sync-url").replace("/0/", "/" + record.inspection + "/");
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
  }

  // Oldest first; stops at the first network failure (tries again when the network returns).
  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    var applied = 0;
    return all().then(function (records) {
      var queue = records.filter(function (r) { return r.state === "pending"; });
      render();
      function next() {
        var record = queue.shift();
        if (!record) { return Promise.resolve(); }
        return send(record).then(function (response) {
          if (response.status === 200) {
            applied++;
            return remove(record.client_id).then(next);  // kept on the server, applied or as a conflict
          }
          if (response.status === 401) { throw new Error("login"); }
          return response.json().catch(function () { return {}; }).then(function (body) {
            return mark(record, "refused", body.message || ("服务器拒绝（" + response.status + "）")).then(next);
          });
        });
      }
      return next();
    }).catch(function (err) {
      var status = document.querySelector("[data-offline-status] [data-offline-label]");
      if (err && err.message === "login") { text(status, "登录已过期：请重新登录后同步，本机记录保留。"); }
    }).then(function () {
      syncing = false;
      return render();
    }).then(function () {
      if (applied && inspectionId) { location.reload(); }  // the server's state of the visit
    });
  }

  window.zhifaOffline = { enqueue: enqueue, sync: sync, render: render };
  var button = document.querySelector("[data-offline-sync]");
  if (button) { button.addEventListener("click", function () { sync(); }); }
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { render(); });

  if ("serviceWorker" in navigator && root.getAttribute("data-sw")) {
    navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: root.getAttribute("data-sw-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var urls = [location.pathname];
        document.querySelectorAll("[data-keep-offline]").forEach(function (a) { urls.push(a.getAttribute("href")); });
        if (navigator.onLine && registration.active) {
          navigator.serviceWorker.addEventListener("message", function (event) {
            if (event.data && event.data.type === "kept") { root.setAttribute("data-kept", String(event.data.count)); }
          });
          registration.active.postMessage({ type: "keep", urls: urls });
        }
      }).catch(function () {});
  }
  render().then(function () { if (navigator.onLine) { sync(); } });
})();

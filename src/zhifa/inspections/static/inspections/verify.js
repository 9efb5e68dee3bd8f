// 抽取结果公开验证: re-runs a published double-random draw in the browser with WebCrypto SHA-256.
// The rule (docs/inspections.md): commitment = SHA-256(secret); seed = SHA-256(secret || root || task id);
// stratum seed = SHA-256(seed || label); select = the k candidates with the smallest
// SHA-256(stratum seed || 0x00 || candidate), ascending; pool hash = SHA-256 of the sorted "label\tcandidate" lines.
(function () {
  "use strict";
  var box = document.getElementById("verify");
  if (!box) { return; }
  var utf8 = new TextEncoder();

  function hexToBytes(hex) {
    if (typeof hex !== "string" || hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) {
      throw new Error("不是十六进制：" + hex);
    }
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }
  function bytesToHex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function concat() {
    var parts = Array.prototype.slice.call(arguments);
    var n = parts.reduce(function (s, p) { return s + p.length; }, 0);
    var out = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }
  function compareBytes(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) { if (a[i] !== b[i]) { return a[i] - b[i]; } }
    return a.length - b.length;
  }
  // Python sorts str by code point; JavaScript's default sort compares UTF-16 units, which differs beyond U+FFFF.
  function compareCodePoints(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) { return d; }
    }
    return x.length - y.length;
  }
  function poolHash(strata) {
    var lines = [];
    strata.forEach(function (s) { s.pool.forEach(function (c) { lines.push(s.label + "\t" + c); }); });
    lines.sort(compareCodePoints);
    return sha256(utf8.encode(lines.join("\n"))).then(bytesToHex);
  }
  function select(pool, k, seed) {
    if (new Set(pool).size !== pool.length) { return Promise.reject(new Error("对象池中有重复对象")); }
    if (k < 0 || k > pool.length) { return Promise.reject(new Error("抽取数超出对象池")); }
    return Promise.all(pool.map(function (c) {
      return sha256(concat(seed, new Uint8Array([0]), utf8.encode(c))).then(function (d) { return [d, c]; });
    })).then(function (keyed) {
      keyed.sort(function (a, b) { return compareBytes(a[0], b[0]); });
      return keyed.slice(0, k).map(function (p) { return p[1]; });
    });
  }

  // Chinese titles of the strata and names of those drawn, when the page gives them (the portal's page).
  function embedded(id) {
    var node = document.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  var labels = embedded("verify-labels");
  var names = embedded("verify-names");
  function named(ids) {
    return ids.map(function (c) { return names[c] || c; }).join("、");
  }

  var rows = document.getElementById("verify-rows");
  var verdict = document.getElementById("verify-verdict");
  var mismatches = 0;
  function td(text, cls, label) {
    var cell = document.createElement("td");
    cell.textContent = text;
    if (cls) { cell.className = cls; }
    if (label) { cell.setAttribute("data-label", label); }
    return cell;
  }
  // Compares the published and recomputed values; shows them as given (names instead of ids if shown).
  function report(what, published, recomputed, shownPublished, shownRecomputed) {
    var same = published === recomputed;
    if (!same) { mismatches += 1; }
    var tr = document.createElement("tr");
    tr.setAttribute("data-check", what);
    tr.setAttribute("data-result", same ? "match" : "mismatch");
    tr.appendChild(td(what, "", "校验项"));
    var plain = shownPublished !== undefined;
    tr.appendChild(td(plain ? shownPublished : published, plain ? "small" : "font-monospace small text-break", "公布值"));
    tr.appendChild(td(plain ? shownRecomputed : recomputed, plain ? "small" : "font-monospace small text-break",
      "浏览器复算值"));
    var result = document.createElement("td");
    result.setAttribute("data-label", "结果");
    var badge = document.createElement("span");
    badge.className = "badge " + (same ? "text-bg-success" : "text-bg-danger");
    badge.textContent = same ? "一致" : "不一致";
    result.appendChild(badge);
    tr.appendChild(result);
    rows.appendChild(tr);
  }
  function finish(error) {
    var ok = !error && mismatches === 0;
    verdict.className = "alert " + (ok ? "alert-success" : "alert-danger");
    verdict.setAttribute("data-verdict", ok ? "match" : "mismatch");
    verdict.textContent = error ? "无法验证：" + error.message
      : ok ? "一致：公布的每一项数值都可由公开规则重新算出。"
        : "不一致：" + mismatches + " 项与重新计算的结果不符。";
  }

  function describe(data) {
    var about = document.getElementById("verify-about");
    if (!about) { return; }
    var facts = [["任务", data.task_title], ["执法主体", data.agency], ["抽查事项", data.item_code + " " + data.item_name],
      ["检查依据", data.legal_basis], ["账本树头", "第 " + data.head_id + " 号（树大小 " + data.head_tree_size + "），签名于 " +
        data.head_signed_at], ["抽取时间", data.drawn_at], ["账本记录", "#" + data.ledger_seq]];
    facts.forEach(function (f) {
      var dt = document.createElement("dt");
      dt.className = "col-4 col-md-2";
      dt.textContent = f[0];
      var dd = document.createElement("dd");
      dd.className = "col-8 col-md-10";
      dd.textContent = f[1];
      about.appendChild(dt);
      about.appendChild(dd);
    });
  }

  function run(data) {
    describe(data);
    var secret = hexToBytes(data.secret);
    var root = hexToBytes(data.head_root);
    var taskId = utf8.encode(String(data.task_id));
    var seed;
    return sha256(secret).then(function (c) {
      report("承诺值 SHA-256(秘密)", data.commitment, bytesToHex(c));
      return sha256(concat(secret, root, taskId));
    }).then(function (s) {
      seed = s;
      report("种子 SHA-256(秘密‖树根‖任务号)", data.seed, bytesToHex(s));
      return poolHash(data.party_strata);
    }).then(function (h) {
      report("对象池哈希", data.pool_hash, h);
      return poolHash([{ label: "inspectors", pool: data.inspector_pool }]);
    }).then(function (h) {
      report("检查人员池哈希", data.inspector_pool_hash, h);
      var directory = new Set(data.inspector_pool);
      var strata = data.party_strata.concat(data.inspector_strata);
      return strata.reduce(function (chain, s) {
        return chain.then(function () {
          return sha256(concat(seed, utf8.encode(s.label)));
        }).then(function (stratumSeed) {
          var outside = data.inspector_strata.indexOf(s) >= 0 &&
            s.pool.some(function (c) { return !directory.has(c); });
          var team = data.inspector_strata.indexOf(s) >= 0;
          var prefix = team ? "officer:" : "";
          var title = labels[s.label] || s.label;
          return select(s.pool.slice(), Number(s.k), stratumSeed).then(function (got) {
            var mark = function (ids) { return ids.map(function (c) { return prefix + c; }); };
            report("抽取结果 " + title + "（" + s.pool.length + " 取 " + s.k + "）",
              s.selected.join("、"), outside ? "（对象池超出检查人员名录）" : got.join("、"),
              Object.keys(names).length ? named(mark(s.selected)) : undefined,
              Object.keys(names).length ? (outside ? "（对象池超出检查人员名录）" : named(mark(got))) : undefined);
          });
        });
      }, Promise.resolve());
    });
  }

  if (!window.crypto || !crypto.subtle) {
    finish(new Error("此浏览器不支持 WebCrypto（需 HTTPS 或本机访问）。"));
    return;
  }
  fetch(box.getAttribute("data-url"), { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) { throw new Error("未找到公开的抽取数据（HTTP " + r.status + "）"); }
      return r.json();
    })
    .then(run)
    .then(function () { finish(null); }, finish);
}());

// govscan review page: paste or upload a draft, see every finding in place.
// Offsets from the API are Unicode code points; JavaScript strings are UTF-16, so the
// text is handled as an array of code points (Array.from) wherever offsets are used.
// User text is only ever inserted with textContent / text nodes, never as HTML.
"use strict";

(function () {
  const SEVERITY = {
    veto: { label: "单项否决", rank: 0 },
    deduction: { label: "扣分", rank: 1 },
    advisory: { label: "提示", rank: 2 },
  };
  const CATEGORY = {
    wording: "表述问题",
    pii: "个人信息",
    freshness: "内容更新",
    site: "网站功能",
    interaction: "互动回应",
    account: "政务新媒体",
  };

  const DOMAIN = { law: "法律", medicine: "医疗卫生" };

  const $ = (id) => document.getElementById(id);
  // published: the page's own publication date (an uploaded page's PubDate), sent back with its
  // text after an edit, so the re-review judges the date rules at the same day
  // places: where an uploaded file's parts stand (header, footnotes, table cells: the API's "places"),
  // kept through edits so that a re-review still says 位置 (it was lost after 采纳建议).
  const state = { text: "", name: "-", published: null, places: null, unread: null, review: null, stale: false, health: null, busy: false };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message || "";
    s.classList.toggle("error", !!isError);
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const token = $("token").value.trim();
    if (token) h["X-Govscan-Token"] = token;
    return h;
  }

  // "/api/review" with the query: the chosen domain word list, if any
  function reviewUrl(query) {
    const q = new URLSearchParams(query || {});
    const domain = $("domain").value;
    if (domain) q.append("domain", domain);
    const s = q.toString();
    return "/api/review" + (s ? "?" + s : "");
  }

  async function errorText(resp) {
    try {
      const data = await resp.json();
      if (data && data.detail) return data.detail;
    } catch (e) { /* not JSON */ }
    return "请求失败（HTTP " + resp.status + "）";
  }

  // the day the date rules (leaders' offices, anniversaries, congress numbers) were judged at
  function dateNote(review) {
    if (!review.date) return "";
    return "（日期规则按 " + review.date + (review.date_basis === "published" ? " 即页面发布日期" : "") + " 判断）";
  }

  function setBusy(busy) {
    state.busy = busy;
    for (const id of ["review-btn", "mask-btn"]) $(id).disabled = busy;
    document.body.classList.toggle("busy", busy);
  }

  // ------------------------------------------------------------------ summary (as console.summary_line)
  function summaryLine(findings) {
    if (!findings.length) return "未发现问题";
    const n = { veto: 0, deduction: 0, advisory: 0 };
    for (const f of findings) n[f.severity] = (n[f.severity] || 0) + 1;
    const parts = [n.veto + " 项单项否决问题"];
    if (n.deduction) parts.push(n.deduction + " 项扣分问题");
    parts.push(n.advisory + " 项提示");
    return parts.join("，");
  }

  // ------------------------------------------------------------------ API calls
  async function reviewText() {
    const text = $("draft").value;
    if (!text.trim()) { setStatus("请先粘贴稿件正文或上传文件", true); return; }
    const maxChars = state.health ? state.health.max_chars : 0;
    const length = maxChars ? Array.from(text).length : 0;  // code points, as the server counts
    if (maxChars && length > maxChars) {
      setStatus("正文 " + length.toLocaleString("zh-CN") + " 字，超过单篇审查上限 " + maxChars.toLocaleString("zh-CN") + " 字：请分篇审查", true);
      return;
    }
    setBusy(true);
    setStatus("正在审查…");
    try {
      const resp = await fetch(reviewUrl(), {
        method: "POST",
        headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify(Object.assign({ text: text, name: state.name },
                                           state.published ? { published: state.published } : {})),
      });
      if (!resp.ok) { setStatus(await errorText(resp), true); return; }
      const review = await resp.json();
      if (state.places) state.places = shiftPlaces(state.places, state.text, text);
      state.text = text;
      placeFindings(review);
      if (state.unread && !review.unread) review.unread = state.unread;  // (the file's parts not read stay unread)
      show(review);
      setStatus("审查完成" + dateNote(review));
    } catch (e) {
      setStatus("无法连接审查服务：" + e.message, true);
    } finally {
      setBusy(false);
    }
  }

  async function reviewFile(file) {
    const limit = state.health ? state.health.max_upload_bytes : null;
    if (limit && file.size > limit) {
      setStatus(file.name + "：文件超过上限 " + Math.round(limit / 1048576) + " MB", true);
      return;
    }
    setBusy(true);
    setStatus("正在上传并审查 " + file.name + "…");
    try {
      const form = new FormData();
      form.append("file", file, file.name);
      const resp = await fetch(reviewUrl({ show_text: "true" }), { method: "POST", headers: headers(), body: form });
      if (!resp.ok) { setStatus(await errorText(resp), true); return; }
      const review = await resp.json();
      // From here on the page works on the extracted text: that is what the offsets refer to.
      $("draft").value = review.text;
      state.text = review.text;
      state.name = review.source;
      state.published = review.date_basis === "published" ? review.date : null;
      state.places = review.places && review.places.length ? review.places : null;
      state.unread = review.unread && review.unread.length ? review.unread : null;
      show(review);
      setStatus("已载入 " + review.source + " 的正文（" + review.format + "）并完成审查" + dateNote(review));
    } catch (e) {
      setStatus("无法连接审查服务：" + e.message, true);
    } finally {
      setBusy(false);
      $("file").value = "";
    }
  }

  // ------------------------------------------------------------------ rendering
  function show(review) {
    state.review = review;
    state.stale = false;
    $("result").hidden = false;
    const summary = $("summary");
    summary.textContent = summaryLine(review.findings);
    if (review.unread && review.unread.length) {  // a part of the file not read was not checked: said so
      summary.appendChild(el("span", "unread-note", "（未能检查：" + review.unread.map((u) => u.part).join("；") + "）"));
    }
    summary.classList.toggle("has-veto", review.findings.some((f) => f.severity === "veto"));
    summary.classList.toggle("clean", review.findings.length === 0);
    summary.classList.remove("stale");
    renderDoc(review);
    renderList(review);
  }

  // The text split at every finding boundary; each piece knows the findings covering it.
  function renderDoc(review) {
    const doc = $("doc");
    doc.replaceChildren();
    const cps = Array.from(state.text);
    const findings = review.findings;
    const cuts = new Set([0, cps.length]);
    findings.forEach((f) => { cuts.add(f.start); cuts.add(f.end); });
    const bounds = Array.from(cuts).filter((x) => x >= 0 && x <= cps.length).sort((a, b) => a - b);
    const anchored = new Set();
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k], b = bounds[k + 1];
      const piece = cps.slice(a, b).join("");
      const covering = [];
      findings.forEach((f, i) => { if (f.start <= a && b <= f.end && f.start < f.end) covering.push(i); });
      if (!covering.length) { doc.appendChild(document.createTextNode(piece)); continue; }
      covering.sort((x, y) => SEVERITY[findings[x].severity].rank - SEVERITY[findings[y].severity].rank);
      const top = findings[covering[0]];
      const mark = el("mark", "sev-" + top.severity, piece);
      mark.dataset.findings = covering.join(" ");
      mark.title = covering.map((i) => findings[i].message).join("\n");
      for (const i of covering) {
        if (!anchored.has(i)) { anchored.add(i); mark.id = mark.id || "finding-" + i; }
      }
      mark.addEventListener("click", () => focusItem(covering[0]));
      doc.appendChild(mark);
    }
  }

  function renderList(review) {
    const list = $("findings");
    list.replaceChildren();
    if (!review.findings.length) {
      list.appendChild(el("p", "item", "未发现需要处理的问题。"));
      return;
    }
    const groups = new Map();
    review.findings.forEach((f, i) => {
      if (!groups.has(f.category)) groups.set(f.category, []);
      groups.get(f.category).push(i);
    });
    for (const [category, indexes] of groups) {
      const box = el("section", "group");
      box.dataset.category = category;
      const h = el("h2", null, CATEGORY[category] || category);
      h.appendChild(el("span", "count", indexes.length + " 项"));
      box.appendChild(h);
      indexes.sort((x, y) =>
        SEVERITY[review.findings[x].severity].rank - SEVERITY[review.findings[y].severity].rank || x - y);
      for (const i of indexes) box.appendChild(renderItem(review.findings[i], i));
      list.appendChild(box);
    }
  }

  // where a finding stands in the file beyond its offsets (as pipeline.place_label): a DOCX's header,
  // comment or footnote is read after the body, so its findings came at the end of the text unexplained
  function placeLabel(loc) {
    if (!loc) return "";
    const parts = loc.part ? [loc.part] : [];
    if (loc.table !== undefined && loc.row !== undefined && loc.col !== undefined) {
      parts.push("表格" + (loc.table + 1) + " 第" + (loc.row + 1) + "行第" + (loc.col + 1) + "列");
    }
    if (loc.cell) parts.push(loc.cell);  // a cell of a workbook embedded in the document (嵌入对象 名单.xlsx/Sheet1 B2)
    return parts.join(" ");
  }

  // The places carried from the text last reviewed (before) to the text now (after): the edit is
  // what lies between their common beginning and end; a place before it stays, one after it moves
  // by the change in length, one holding it grows or shrinks, one cut by it is dropped (where it
  // stands is no longer known).  A masked copy is as long as the text: nothing moves.
  function shiftPlaces(places, before, after) {
    const a = Array.from(before), b = Array.from(after);
    if (a.length === b.length) return places;
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const start = head, end = a.length - tail, delta = b.length - a.length;
    const out = [];
    for (const p of places) {
      if (p.end <= start) out.push(p);
      else if (p.start >= end) out.push(Object.assign({}, p, { start: p.start + delta, end: p.end + delta }));
      else if (p.start <= start && end <= p.end) out.push(Object.assign({}, p, { end: p.end + delta }));
    }
    return out;
  }

  // A finding's place from the kept places, as the server gives it for a file (pipeline.place): the
  // part whose span holds its start, the table cell whose span holds it.
  function placeFindings(review) {
    if (!state.places) return;
    const isCell = (p) => p.location.table !== undefined || p.location.cell !== undefined;
    for (const f of review.findings) {
      const where = {};
      const part = state.places.find((p) => !isCell(p) && p.start <= f.start && f.start < p.end);
      if (part) where.part = part.location.part;
      const cell = state.places.find((p) => isCell(p) && p.start <= f.start && f.end <= p.end);
      if (cell) Object.assign(where, cell.location);  // (a table cell, or an embedded workbook's: its part too)
      if (Object.keys(where).length) f.location = Object.assign(where, f.location || {});
    }
  }

  function renderItem(f, i) {
    const item = el("div", "item");
    item.id = "item-" + i;
    item.dataset.index = String(i);
    item.dataset.code = f.code;
    item.dataset.severity = f.severity;
    const head = el("div");
    head.appendChild(el("span", "badge sev-" + f.severity, (SEVERITY[f.severity] || {}).label || f.severity));
    head.appendChild(el("span", "msg", f.message));
    item.appendChild(head);
    if (f.suggestion !== null && f.suggestion !== undefined) {
      item.appendChild(el("div", "sugg", "建议：" + f.suggestion));
    }
    if (f.action) item.appendChild(el("div", "action", f.action));
    const place = placeLabel(f.location);
    if (place) item.appendChild(el("div", "place", "位置：" + place));
    item.appendChild(el("div", "meta", f.indicator + " · " + f.code));
    if (f.suggestion !== null && f.suggestion !== undefined) {
      const adopt = el("button", "adopt", "采纳建议");
      adopt.type = "button";
      adopt.disabled = state.stale;
      adopt.addEventListener("click", (ev) => { ev.stopPropagation(); adoptSuggestion(i); });
      item.appendChild(adopt);
    }
    item.addEventListener("click", () => jumpTo(i));
    return item;
  }

  function jumpTo(i) {
    const mark = document.getElementById("finding-" + i) ||
      Array.from(document.querySelectorAll("#doc mark")).find((m) => m.dataset.findings.split(" ").includes(String(i)));
    document.querySelectorAll("#doc mark.flash").forEach((m) => m.classList.remove("flash"));
    document.querySelectorAll(".item.active").forEach((m) => m.classList.remove("active"));
    const item = $("item-" + i);
    if (item) item.classList.add("active");
    if (!mark) return;
    document.querySelectorAll("#doc mark").forEach((m) => {
      if (m.dataset.findings.split(" ").includes(String(i))) m.classList.add("flash");
    });
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function focusItem(i) {
    const item = $("item-" + i);
    if (!item) return;
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    jumpTo(i);
  }

  // ------------------------------------------------------------------ edits
  function replaceSpans(edits) {
    // edits: [{start, end, text}] in code points, non-overlapping; applied from the end.
    const cps = Array.from(state.text);
    edits.sort((a, b) => b.start - a.start);
    let lastStart = Infinity;
    for (const e of edits) {
      if (e.end > lastStart) continue; // overlaps an edit already applied
      cps.splice(e.start, e.end - e.start, ...Array.from(e.text));
      lastStart = e.start;
    }
    return cps.join("");
  }

  async function adoptSuggestion(i) {
    if (!state.review || state.stale || state.busy) return;
    const f = state.review.findings[i];
    if (f.suggestion === null || f.suggestion === undefined) return;
    $("draft").value = replaceSpans([{ start: f.start, end: f.end, text: f.suggestion }]);
    await reviewText();
  }

  async function maskAll() {
    if (state.busy) return;
    if (!state.review || state.stale) {
      await reviewText();
      if (!state.review || state.stale) return;
    }
    const text = state.text;
    if (state.health && state.health.privacy) {
      setBusy(true);
      setStatus("正在脱敏…");
      try {
        const form = new FormData();
        form.append("file", new Blob([text], { type: "text/plain" }), "draft.txt");
        const resp = await fetch("/api/privacy/mask", { method: "POST", headers: headers(), body: form });
        if (!resp.ok) { setStatus(await errorText(resp), true); return; }
        $("draft").value = await resp.text();
      } catch (e) {
        setStatus("无法连接脱敏服务：" + e.message, true);
        return;
      } finally {
        setBusy(false);
      }
    } else {
      const edits = state.review.findings
        .filter((f) => f.category === "pii" && f.suggestion !== null && f.suggestion !== undefined)
        .map((f) => ({ start: f.start, end: f.end, text: f.suggestion }));
      if (!edits.length) { setStatus("未发现需要脱敏的个人信息"); return; }
      $("draft").value = replaceSpans(edits);
    }
    await reviewText();
  }

  // A new draft pasted over the whole text (or typed into an emptied box) is not the uploaded
  // file: its name and publication date no longer apply.
  function forgetSource() {
    state.name = "-";
    state.published = null;
    state.places = null;
    state.unread = null;
  }

  function markStale() {
    if (!$("draft").value.trim()) forgetSource();
    if (!state.review || state.stale || $("draft").value === state.text) return;
    state.stale = true;
    const summary = $("summary");
    summary.classList.add("stale");
    summary.appendChild(el("span", "stale-note", "（正文已修改，请重新审查）"));
    document.querySelectorAll("button.adopt").forEach((b) => { b.disabled = true; });
  }

  // ------------------------------------------------------------------ start
  async function init() {
    $("review-btn").addEventListener("click", reviewText);
    $("mask-btn").addEventListener("click", maskAll);
    $("file").addEventListener("change", (ev) => { if (ev.target.files.length) reviewFile(ev.target.files[0]); });
    $("draft").addEventListener("input", markStale);
    $("draft").addEventListener("paste", (ev) => {
      const box = ev.target;
      if (box.selectionStart === 0 && box.selectionEnd === box.value.length) forgetSource();
    });
    $("draft").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); reviewText(); }
    });
    const saved = sessionStorage.getItem("govscan-token");
    if (saved) $("token").value = saved;
    $("token").addEventListener("change", () => sessionStorage.setItem("govscan-token", $("token").value.trim()));
    try {
      const resp = await fetch("/api/health");
      state.health = await resp.json();
      $("token-box").hidden = !state.health.token_required;
      const limits = [];
      if (state.health.max_chars) limits.push("单篇不超过 " + state.health.max_chars.toLocaleString("zh-CN") + " 字");
      if (state.health.max_upload_bytes) limits.push("文件不超过 " + Math.round(state.health.max_upload_bytes / 1048576) + " MB");
      $("limits").textContent = limits.length ? "（" + limits.join("，") + "）" : "";
      for (const d of state.health.domains || []) {
        const opt = el("option", null, DOMAIN[d] || d);
        opt.value = d;
        $("domain").appendChild(opt);
      }
      $("domain-box").hidden = !(state.health.domains || []).length;
      document.body.dataset.ready = "1";
    } catch (e) {
      setStatus("无法连接审查服务", true);
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();

// A tiny Markdown renderer with code highlighting for the studio's messages.
// Model output is untrusted: everything is built as DOM nodes with text content, never as an
// HTML string, so no tag or attribute a model writes can reach the page.
"use strict";

const MD_KEYWORDS = new Set(("and as assert async await break case catch class const continue def del elif " +
  "else except export false False finally for from function global if import in is lambda let new None " +
  "nonlocal not null or pass raise return self switch this throw true True try typeof var while with " +
  "yield echo fi then do done").split(" "));
const MD_TOKENS = /(#[^\n]*|\/\/[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)/g;

function mdSpan(cls, text) {
  const span = document.createElement("span");
  span.className = cls;
  span.textContent = text;
  return span;
}

function mdHighlight(code) {
  // Comments, strings, numbers and keywords get a class; the rest stays plain text.
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of code.matchAll(MD_TOKENS)) {
    const [token, comment, string, number, word] = match;
    if (word && !MD_KEYWORDS.has(word)) continue;
    out.append(code.slice(last, match.index));
    const cls = comment ? "tok-com" : string ? "tok-str" : number ? "tok-num" : "tok-kw";
    out.append(mdSpan(cls, token));
    last = match.index + token.length;
  }
  out.append(code.slice(last));
  return out;
}

function mdInline(text) {
  // `code`, **bold** and *emphasis*; anything else is text.
  const out = document.createDocumentFragment();
  const parts = text.split(/(`[^`\n]+`|\*\*[^*\n]+\*\*|\*[^*\s][^*\n]*\*)/);
  parts.forEach((part, i) => {
    if (i % 2 === 0) { if (part) out.append(part); return; }
    const tag = part.startsWith("`") ? "code" : part.startsWith("**") ? "strong" : "em";
    const cut = tag === "strong" ? 2 : 1;
    const node = document.createElement(tag);
    node.textContent = part.slice(cut, part.length - cut);
    out.append(node);
  });
  return out;
}

function mdBlock(tag, text) {
  const node = document.createElement(tag);
  node.append(mdInline(text));
  return node;
}

function renderMarkdown(text) {
  const box = document.createElement("div");
  box.className = "content";
  const lines = (text || "").split("\n");
  let paragraph = [];
  let list = null;
  const flush = () => {
    if (paragraph.length) box.append(mdBlock("p", paragraph.join("\n")));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^\s*```\s*([\w+-]*)\s*$/);
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    const item = line.match(/^\s*(?:[-*]|(\d+)[.)])\s+(.*)$/);
    if (fence) {
      flush(); list = null;
      const code = [];
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i])) code.push(lines[i]);
      const pre = document.createElement("pre");
      pre.className = "code";
      const inner = document.createElement("code");
      if (fence[1]) inner.dataset.lang = fence[1];
      inner.append(mdHighlight(code.join("\n")));
      pre.append(inner);
      box.append(pre);
    } else if (heading) {
      flush(); list = null;
      box.append(mdBlock("h" + Math.min(heading[1].length + 1, 4), heading[2]));
    } else if (item) {
      flush();
      const tag = item[1] ? "ol" : "ul";
      if (!list || list.tagName.toLowerCase() !== tag) { list = document.createElement(tag); box.append(list); }
      list.append(mdBlock("li", item[2]));
    } else if (!line.trim()) {
      flush(); list = null;
    } else {
      list = null;
      paragraph.push(line);
    }
  }
  flush();
  return box;
}

/// The Markdown editors' part of pln.js (see ``FormKit/markdown(_:label:required:hint:value:rows:maxLength:)``):
/// a formatting toolbar and Write/Preview tabs on every `textarea[data-markdown]`. Without
/// JavaScript neither exists: the form's Preview button posts the form and shows the preview.
extension Assets {
    static let editorStylesheet = """
        .markdown-tabs{display:flex;gap:.35rem;margin:0 0 .4rem}
        .markdown-tabs [role=tab]{background:#fff;color:var(--primary);padding:.3rem .9rem;font-size:.95rem}
        .markdown-tabs [role=tab][aria-selected=true]{background:var(--primary);color:#fff}
        .markdown-toolbar{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 .4rem}
        .markdown-toolbar button{background:#fff;color:var(--ink);border:1px solid #7b8590;padding:.2rem .6rem;min-width:2.5rem;font-size:.92rem}
        .markdown-toolbar .tool-1{font-style:italic;font-weight:400}
        @media (max-width:30rem){.markdown-toolbar{gap:.25rem}.markdown-toolbar button{padding:.2rem .4rem;min-width:2.1rem;font-size:.86rem}}
        .markdown-preview-panel{min-height:8rem;max-width:42rem;padding:.55rem .65rem;border:1px solid #7b8590;border-radius:.4rem;background:#fff}
        .markdown-preview{max-width:42rem;margin:0 0 1rem;padding:.75rem 1rem;border:2px dashed #7b8590;border-radius:var(--radius);background:#fff}
        .markdown-preview h2{margin:0;font-size:1.1rem}
        .markdown-preview .hint{margin:0 0 .5rem}
        .markdown-tabs-on .preview-button{display:none}
        """

    static let editorScript = """
        // Markdown editors: a toolbar (bold, italic, link, lists, quote) that puts Markdown around
        // the selection, and Write/Preview tabs (the WAI-ARIA tabs pattern) whose preview comes
        // from POST /markdown/preview without leaving the page. The form's own Preview button
        // (which posts the whole form) is hidden by the stylesheet once this runs (markdown-tabs-on).
        (function () {
          "use strict";
          // Every Preview button carries this script: it runs once per page.
          if (window.plnEditors) { return; }
          window.plnEditors = true;
          if (!window.fetch || !window.URLSearchParams) { return; }
          document.documentElement.classList.add("markdown-tabs-on");
          var fields = document.querySelectorAll("textarea[data-markdown]");
          for (var i = 0; i < fields.length; i++) { enhance(fields[i], i); }

          function button(text, name) {
            var b = document.createElement("button");
            b.type = "button";
            b.textContent = text;
            if (name && name !== text) { b.setAttribute("aria-label", name); b.title = name; }
            return b;
          }

          function replaceSelection(field, text, selectFrom, selectTo) {
            var start = field.selectionStart, end = field.selectionEnd;
            field.focus();
            field.setSelectionRange(start, end);
            // execCommand keeps the browser's undo history; setRangeText where it is refused.
            var done = false;
            try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
            if (!done || field.value.slice(start, start + text.length) !== text) {
              field.setRangeText(text, start, end, "end");
            }
            field.setSelectionRange(start + selectFrom, start + selectTo);
            field.dispatchEvent(new Event("input", { bubbles: true }));
          }

          function wrap(field, before, after, placeholder) {
            var chosen = field.value.slice(field.selectionStart, field.selectionEnd) || placeholder;
            replaceSelection(field, before + chosen + after, before.length, before.length + chosen.length);
          }

          function link(field) {
            var chosen = field.value.slice(field.selectionStart, field.selectionEnd);
            if (/^https?:[/][/]\\S+$/.test(chosen)) {
              replaceSelection(field, "[link text](" + chosen + ")", 1, 10);
            } else {
              var text = chosen || "link text";
              replaceSelection(field, "[" + text + "](https://)", text.length + 3, text.length + 11);
            }
          }

          function prefixLines(field, prefix) {
            var value = field.value;
            var start = value.lastIndexOf("\\n", field.selectionStart - 1) + 1;
            var end = field.selectionEnd;
            field.setSelectionRange(start, end);
            var lines = value.slice(start, end).split("\\n");
            var text = lines.map(function (line, n) { return prefix(n) + line; }).join("\\n");
            // A new block needs a blank line before it to be a list or a quote in Markdown.
            var lead = start > 0 && value.slice(0, start).slice(-2) !== "\\n\\n" ? "\\n" : "";
            replaceSelection(field, lead + text, lead.length + text.length, lead.length + text.length);
          }

          function toolbar(field, id) {
            var bar = document.createElement("div");
            bar.className = "markdown-toolbar";
            bar.setAttribute("role", "toolbar");
            bar.setAttribute("aria-label", "Formatting");
            bar.setAttribute("aria-controls", field.id);
            var tools = [
              ["B", "Bold", function () { wrap(field, "**", "**", "bold text"); }],
              ["I", "Italic", function () { wrap(field, "_", "_", "italic text"); }],
              ["Link", "Link", function () { link(field); }],
              ["• List", "Bulleted list", function () { prefixLines(field, function () { return "- "; }); }],
              ["1. List", "Numbered list", function () { prefixLines(field, function (n) { return (n + 1) + ". "; }); }],
              ["Quote", "Quote", function () { prefixLines(field, function () { return "> "; }); }]
            ];
            var buttons = [];
            tools.forEach(function (tool, n) {
              var b = button(tool[0], tool[1]);
              b.className = "tool tool-" + n;
              b.tabIndex = n === 0 ? 0 : -1;
              b.addEventListener("click", tool[2]);
              bar.appendChild(b);
              buttons.push(b);
            });
            // One tab stop for the toolbar; arrows, Home and End move within it.
            bar.addEventListener("keydown", function (e) {
              var at = buttons.indexOf(document.activeElement);
              if (at < 0) { return; }
              var next = at;
              if (e.key === "ArrowRight") { next = (at + 1) % buttons.length; }
              else if (e.key === "ArrowLeft") { next = (at - 1 + buttons.length) % buttons.length; }
              else if (e.key === "Home") { next = 0; }
              else if (e.key === "End") { next = buttons.length - 1; }
              else { return; }
              e.preventDefault();
              buttons[at].tabIndex = -1;
              buttons[next].tabIndex = 0;
              buttons[next].focus();
            });
            return bar;
          }

          function enhance(field, index) {
            var id = "markdown-" + index;
            var follower = field.nextElementSibling;
            var label = document.querySelector("label[for='" + field.id + "']");
            var tabs = document.createElement("div");
            tabs.className = "markdown-tabs";
            tabs.setAttribute("role", "tablist");
            tabs.setAttribute("aria-label", (label ? label.textContent.replace(/[*]/g, "").trim() + ": " : "") + "write or preview");
            var write = button("Write");
            var look = button("Preview");
            var writePanel = document.createElement("div");
            var lookPanel = document.createElement("div");
            [[write, writePanel, "write"], [look, lookPanel, "preview"]].forEach(function (pair) {
              pair[0].id = id + "-" + pair[2] + "-tab";
              pair[0].setAttribute("role", "tab");
              pair[0].setAttribute("aria-controls", id + "-" + pair[2]);
              pair[1].id = id + "-" + pair[2];
              pair[1].setAttribute("role", "tabpanel");
              pair[1].setAttribute("aria-labelledby", pair[0].id);
              tabs.appendChild(pair[0]);
            });
            lookPanel.className = "markdown-preview-panel prose";
            lookPanel.tabIndex = 0;
            field.parentNode.insertBefore(tabs, field);
            field.parentNode.insertBefore(writePanel, field);
            writePanel.appendChild(toolbar(field, id));
            writePanel.appendChild(field);
            // The @mention list pln.js put after the field stays with it.
            if (follower && follower.classList.contains("mention-list")) { writePanel.appendChild(follower); }
            writePanel.parentNode.insertBefore(lookPanel, writePanel.nextSibling);

            var shown = null;
            function select(preview, focus) {
              write.setAttribute("aria-selected", preview ? "false" : "true");
              look.setAttribute("aria-selected", preview ? "true" : "false");
              write.tabIndex = preview ? -1 : 0;
              look.tabIndex = preview ? 0 : -1;
              writePanel.hidden = preview;
              lookPanel.hidden = !preview;
              if (focus) { (preview ? look : write).focus(); }
              if (preview) { render(); }
            }
            function render() {
              var text = field.value;
              if (text === shown) { return; }
              shown = text;
              lookPanel.setAttribute("aria-busy", "true");
              lookPanel.textContent = "Making the preview…";
              var body = new URLSearchParams();
              body.set("body", text);
              var token = field.form && field.form.querySelector("input[name=_csrf]");
              if (token) { body.set("_csrf", token.value); }
              fetch("/markdown/preview", { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (r) {
                  return r.text().then(function (html) { return r.headers.get("X-Markdown-Preview") ? html : null; });
                })
                .then(function (html) {
                  if (text !== shown) { return; }
                  lookPanel.removeAttribute("aria-busy");
                  if (html === null) {
                    shown = null;
                    lookPanel.textContent = "The preview could not be made. Your text is kept: go back to Write.";
                    return;
                  }
                  // The server's safe Markdown renderer made this fragment.
                  lookPanel.innerHTML = html;
                })
                .catch(function () {
                  shown = null;
                  lookPanel.removeAttribute("aria-busy");
                  lookPanel.textContent = "The preview could not be made (no connection?). Your text is kept.";
                });
            }
            write.addEventListener("click", function () { select(false, false); });
            look.addEventListener("click", function () { select(true, false); });
            tabs.addEventListener("keydown", function (e) {
              if (e.key === "ArrowRight" || e.key === "ArrowLeft" || e.key === "Home" || e.key === "End") {
                e.preventDefault();
                var preview = e.key === "End" || (e.key !== "Home" && document.activeElement === write);
                select(preview, true);
              }
            });
            // A required field left empty shows its message where it can be seen: back to Write.
            field.addEventListener("invalid", function () { select(false, false); });
            select(false, false);
          }
        })();
        """
}

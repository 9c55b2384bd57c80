import HTTP

/// The kernel's stylesheet and the one small script, compiled in so the binary needs no files at
/// run time. Served with a strong ETag and long caching (URLs carry a version). The stylesheet
/// served is this one followed by the enabled modules' parts (``Shell/stylesheet``).
public enum Assets {
    public static let scriptVersion = String(SHA256.hex(script).prefix(10))

    /// Answers with 304 when the browser already has this version.
    static func serve(_ content: String, type: String, request: HTTPRequest) -> HTTPResponse {
        let etag = "\"" + String(SHA256.hex(content).prefix(20)) + "\""
        let cache =
            request.queryValue("v") == nil ? "public, max-age=300" : "public, max-age=31536000, immutable"
        if let match = request.headers["If-None-Match"],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            var response = HTTPResponse(status: .notModified)
            response.headers.add("ETag", etag)
            response.headers.add("Cache-Control", cache)
            return response
        }
        var response = HTTPResponse.bytes(Array(content.utf8), contentType: type)
        response.headers.add("ETag", etag)
        response.headers.add("Cache-Control", cache)
        return response
    }

    /// The shell, shared components (cards, forms, buttons, lists, the pager) and print rules.
    public static let stylesheet = coreStylesheet

    /// The Markdown editors' rules, served at /assets/editor.css and linked by pages with an
    /// editor (every editor has a Preview button: ``FormKit/previewButton(action:field:id:)``).
    static let editorSheet = ModuleStylesheet(
        module: "editor", css: editorStylesheet + "\n", linkedBy: ["preview-button"])

    static let coreStylesheet = """
        *,*::before,*::after{box-sizing:border-box}
        :root{--primary:#1f5f8b;--accent:#f0a500;--ink:#1d2733;--muted:#56606b;--line:#d9dee4;--bg:#f5f7fa;--card:#fff;--soft:#eef3f8;--danger:#a4262c;--ok:#1e6b3a;--radius:.6rem;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08)}
        html{font-size:100%;-webkit-text-size-adjust:100%}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1.0625rem;line-height:1.6;color:var(--ink);background:var(--bg);overflow-wrap:break-word}
        img,video,iframe{max-width:100%}
        img{height:auto}
        a{color:var(--primary);text-underline-offset:.15em}
        a:hover{text-decoration-thickness:2px}
        :focus-visible{outline:3px solid var(--ink);outline-offset:2px;border-radius:2px}
        .site-header :focus-visible{outline-color:#fff}
        .visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
        .skip-link{position:absolute;left:-999px;top:.5rem;background:#fff;color:var(--primary);font-weight:700;padding:.6rem 1rem;border-radius:var(--radius);z-index:10;box-shadow:var(--shadow)}
        .skip-link:focus{left:.5rem}
        .site-header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding:1rem clamp(1rem,4vw,2.5rem);background:var(--primary);color:#fff;border-bottom:4px solid var(--accent)}
        .site-header a{color:#fff}
        .brand{display:flex;flex-wrap:wrap;align-items:center;gap:.15rem 1rem;min-width:0}
        .brand .logo{height:2.75rem;width:auto;border-radius:.35rem;background:#fff;padding:.15rem}
        .brand .name{font-size:clamp(1.35rem,4.5vw,1.75rem);font-weight:800;letter-spacing:-.01em;text-decoration:none;line-height:1.2}
        .brand .tagline{margin:0;font-size:.95rem;flex-basis:100%}
        .account{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;font-weight:600}
        .account button.link{color:#fff;font-weight:600}
        .site-nav{background:#fff;border-bottom:1px solid var(--line);box-shadow:var(--shadow)}
        .site-nav ul{list-style:none;margin:0 auto;max-width:76rem;padding:0 clamp(.25rem,3vw,2rem);display:flex;flex-wrap:wrap}
        .site-nav a{display:block;padding:.8rem .9rem;text-decoration:none;color:var(--ink);font-weight:600}
        .site-nav a:hover{color:var(--primary);background:var(--soft)}
        .site-nav a[aria-current=page]{box-shadow:inset 0 -4px 0 var(--primary);color:var(--primary)}
        .page{max-width:76rem;margin:0 auto;padding:1.5rem clamp(.75rem,3vw,2rem) 2.5rem;display:grid;gap:1.5rem;grid-template-columns:minmax(0,1fr)}
        @media (min-width:60rem){.page.with-sidebar{grid-template-columns:minmax(0,1fr) 20rem}}
        main{min-width:0}
        main:focus{outline:none}
        h1,h2,h3{line-height:1.25;letter-spacing:-.005em}
        h1{font-size:clamp(1.5rem,5vw,2rem);margin:.25rem 0 1rem}
        h2{font-size:1.3rem;margin:1.75rem 0 .75rem}
        h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
        p{margin:.5rem 0 .9rem}
        .box,.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:var(--shadow)}
        .card>:first-child,.box>:first-child{margin-top:0}
        .card>:last-child,.box>:last-child{margin-bottom:0}
        .sidebar .box h2{margin:0 0 .5rem;font-size:1.1rem;padding-bottom:.5rem;border-bottom:3px solid var(--accent)}
        .sidebar .more{margin:.75rem 0 0;font-weight:600}
        .activity-list,.replies{list-style:none;margin:0 0 1rem;padding:0}
        .activity{padding:.65rem 0;border-bottom:1px solid var(--line)}
        .activity:last-child{border-bottom:0}
        .activity.has-face{display:flex;gap:.65rem;align-items:flex-start}
        .activity .line{flex:1;min-width:0}
        .face{flex:none;border-radius:50%;object-fit:cover}
        .media{display:flex;gap:.65rem;align-items:flex-start}
        .media>.media-body{flex:1;min-width:0}
        .media>.media-body>:first-child{margin-top:0}
        .media>.media-body>:last-child{margin-bottom:0}
        .byline{align-items:center;margin:.15rem 0 .5rem}
        .byline .meta{margin:0}
        a.person{display:inline-flex;align-items:center;gap:.4rem;vertical-align:middle}
        .people{list-style:none;margin:0 0 1rem;padding:0}
        .people>li{padding:.25rem 0}
        .breadcrumb ol{list-style:none;display:flex;flex-wrap:wrap;margin:0 0 .5rem;padding:0;font-size:.92rem}
        .breadcrumb li+li::before{content:"›";margin:0 .45rem;color:var(--muted)}
        .activity .when,.meta,.small{color:var(--muted);font-size:.9rem}
        .meta a{color:var(--primary)}
        .activity .excerpt{margin:.25rem 0 0;color:var(--muted);font-size:.95rem}
        main .activity-list{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.25rem 1.25rem;box-shadow:var(--shadow)}
        .welcome{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:var(--radius);padding:1.25rem 1.5rem;margin-bottom:1.5rem;box-shadow:var(--shadow)}
        .welcome h1{margin-top:0}
        .button,button,input[type=submit]{display:inline-block;font:inherit;font-weight:600;line-height:1.3;padding:.6rem 1.15rem;border-radius:.45rem;border:2px solid var(--primary);background:var(--primary);color:#fff;text-decoration:none;cursor:pointer;text-align:center}
        .button:hover,button:hover{filter:brightness(1.1)}
        .site-header .button{background:#fff;color:var(--primary);border-color:#fff}
        button.secondary,.button.secondary{background:#fff;color:var(--primary)}
        button.danger,.button.danger{background:var(--danger);border-color:var(--danger)}
        button.link{background:none;border:0;padding:0;color:var(--primary);text-decoration:underline;font-weight:400;font-size:inherit;filter:none}
        form.inline{display:inline}
        .actions{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:.75rem 0}
        .actions.small{font-size:.9rem;margin:.25rem 0 0}
        .field{margin:0 0 1rem}
        label,legend{display:block;font-weight:600;margin:.75rem 0 .3rem}
        .field>label:first-child,.field>legend{margin-top:0}
        fieldset{border:1px solid var(--line);border-radius:var(--radius);padding:.5rem 1rem .75rem;margin:0 0 1rem}
        .req{color:var(--danger)}
        .checkbox{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0}
        .checkbox label{margin:0;font-weight:400}
        .checkbox input{width:1.15rem;height:1.15rem;margin:.2rem 0 0;flex:none;accent-color:var(--primary)}
        fieldset .checkbox{display:inline-flex;margin-right:1rem}
        input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],input[type=search],input[type=date],input[type=datetime-local],input[type=file],select,textarea{width:100%;max-width:42rem;font:inherit;padding:.55rem .65rem;border:1px solid #7b8590;border-radius:.4rem;background:#fff;color:var(--ink)}
        input[type=file]{padding:.4rem}
        textarea{min-height:8rem;line-height:1.5}
        .hint{color:var(--muted);font-size:.9rem;margin:0 0 .3rem}
        .field-error{color:var(--danger);font-weight:600;margin:.25rem 0}
        [aria-invalid=true]{border-color:var(--danger)!important;border-width:2px!important}
        .errors{color:var(--danger)}
        .error-summary{border:2px solid var(--danger)}
        .error-summary ul{margin:.25rem 0 0;padding-left:1.25rem;font-weight:400}
        .error-summary p{margin:0}
        .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 1rem;align-items:end}
        .filters .field{margin-bottom:.75rem}
        .filters label{margin-top:0}
        .filters p{margin:0 0 .75rem}
        .flash{padding:.8rem 1rem;border-radius:var(--radius);margin-bottom:1rem;border:1px solid;font-weight:600}
        .flash-success{background:#e8f5ec;border-color:#9fd3b0;color:var(--ok)}
        .flash-error{background:#fbeaea;border-color:#e5a5a8;color:var(--danger)}
        .flash-info,.notice{background:#eaf2fb;border:1px solid #a9c7e8;border-radius:var(--radius);padding:.8rem 1rem}
        .pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
        .pager a{font-weight:600}
        .badge-ok{background:#e8f5ec;color:var(--ok);border-color:#9fd3b0}
        .nav-count{display:inline-block;min-width:1.3em;padding:0 .35em;margin-left:.2em;border-radius:999px;background:var(--accent);color:#111;font-size:.8rem;font-weight:700;text-align:center;line-height:1.4}
        time{white-space:nowrap}
        .plain-list{list-style:none;margin:0 0 .5rem;padding:0}
        .plain-list>li{padding:.5rem 0;border-bottom:1px solid var(--line)}
        .plain-list>li:last-child{border-bottom:0}
        .home-title{margin-top:0}
        .composer textarea{min-height:4.5rem}
        .composer .actions{margin-bottom:0}
        progress{width:min(16rem,100%);height:.75rem;accent-color:var(--ok);vertical-align:middle}
        .style-component{border-top:1px solid var(--line);padding-top:.5rem}
        .style-example{background:var(--bg);border:1px dashed var(--line);border-radius:var(--radius);padding:1rem;margin:.5rem 0}
        .admin-menu{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}
        .admin-menu h2{margin:0 0 .35rem;font-size:1.15rem}
        .badge{display:inline-block;font-size:.78rem;font-weight:700;line-height:1.4;padding:.05rem .55rem;border-radius:1rem;background:#fff4d6;color:#5c4000;border:1px solid #e6c36a;vertical-align:middle}
        .prose{max-width:46rem}
        .prose img,.prose video{max-width:100%;height:auto}
        .prose pre{overflow-x:auto;background:#f0f2f5;padding:.75rem;border-radius:.4rem}
        .prose blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:4px solid var(--line);color:var(--muted)}
        iframe{border:0;width:100%;aspect-ratio:16/9;height:auto;border-radius:var(--radius)}
        table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:var(--radius)}
        th,td{text-align:left;padding:.55rem .65rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{background:var(--soft);font-size:.92rem}
        @media (max-width:40rem){table{display:block;overflow-x:auto}th,td{min-width:6.5rem}td:first-child,th:first-child{min-width:12rem}}
        @media (max-width:40rem){table.stack{display:block;overflow:visible;border:0;background:none}table.stack caption,table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.stack tbody,table.stack tr{display:block}table.stack tr{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.5rem .75rem;margin-bottom:.75rem;box-shadow:var(--shadow)}table.stack th,table.stack td{display:block;min-width:0;border:0;padding:.25rem 0;background:none}table.stack [data-label]::before{content:attr(data-label);display:block;font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}}
        .card dl{display:grid;grid-template-columns:minmax(5rem,max-content) 1fr;gap:.35rem 1.25rem;margin:0 0 .5rem}
        .card dt{font-weight:600;color:var(--muted)}
        .card dd{margin:0}
        .comment{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem}
        .comment .meta{margin:0 0 .25rem}
        .comment .prose p{margin:.25rem 0}
        .replies>li{margin-bottom:.6rem}
        details.reply{margin:.4rem 0 0 .25rem}
        details.reply summary{cursor:pointer;color:var(--primary);font-weight:600;font-size:.92rem}
        details.reply form{margin-top:.5rem}
        .reply.card .meta{margin-bottom:.35rem}
        .report,.report-link{color:var(--muted);font-size:.9rem}
        .site-footer{text-align:center;padding:1.75rem 1rem;color:var(--muted);border-top:1px solid var(--line);background:#fff}
        .site-footer p{margin:.35rem 0}
        .site-footer a{font-weight:600}
        .empty{color:var(--muted);font-style:italic}
        @media (max-width:30rem){.site-nav ul{padding:0 .15rem}.site-nav a{padding:.5rem .4rem;font-size:.92rem}.card,.box{padding:.9rem 1rem}.brand .tagline{font-size:.88rem}}
        @media print{
        @page{margin:1.5cm}
        .site-header,.site-nav,.sidebar,.site-footer,.skip-link,.flash,button,.button,form,.pager,.actions{display:none!important}
        body{background:#fff;color:#000;font-size:11pt}
        .page{display:block;padding:0;max-width:none}
        .box,.card{border:0;box-shadow:none;padding:0}
        table{border:1px solid #999}
        th{background:#eee}
        a{color:#000}
        }
        """

    /// pln.js, on every page: the core below, without its indentation and comment lines
    /// (``compact(_:)``). The Markdown editors' part is editor.js, which only pages with an
    /// editor load (their Preview buttons carry it): the home page stays light.
    public static let script = compact(coreScript)

    /// editor.js: the Markdown editors (``editorScript``), compacted as pln.js is.
    public static let editorScriptFile = compact(editorScript)
    public static let editorScriptVersion = String(SHA256.hex(editorScriptFile).prefix(10))

    /// The script element a page with a Markdown editor carries (once or more: the script
    /// enhances every editor of the page on its first run, and does nothing on the next).
    public static var editorScriptElement: String {
        "<script src=\"/assets/editor.js?v=\(editorScriptVersion)\" defer></script>"
    }

    /// `script` without leading white space, empty lines and lines that are only a `//`
    /// comment: a fifth smaller, with the same meaning (our scripts have no template literals
    /// and no line continuations, which a test checks).
    static func compact(_ script: String) -> String {
        script.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.drop(while: { $0 == " " || $0 == "\t" }) }
            .filter { !$0.isEmpty && !$0.hasPrefix("//") }
            .joined(separator: "\n") + "\n"
    }

    static let coreScript = """
        // Progressive enhancement only: every page works without this file.
        (function () {
          "use strict";
          var root = document.documentElement;
          root.classList.add("js");

          // Forms that destroy something ask first (data-confirm holds the question).
          document.addEventListener("submit", function (event) {
            var form = event.target;
            var message = form.getAttribute && form.getAttribute("data-confirm");
            if (message && !window.confirm(message)) { event.preventDefault(); }
          });

          // A form that came back with errors: put the keyboard on its summary of links to the fields.
          var summary = document.querySelector(".error-summary");
          if (summary) { summary.focus(); }

          // Keep recent relative times true while the page stays open (the server's wording).
          function describe(seconds) {
            if (seconds < 60) { return "just now"; }
            if (seconds < 3600) {
              var minutes = Math.floor(seconds / 60);
              return minutes === 1 ? "1 minute ago" : minutes + " minutes ago";
            }
            var hours = Math.floor(seconds / 3600);
            return hours === 1 ? "1 hour ago" : hours + " hours ago";
          }
          function refresh() {
            var now = Date.now();
            var times = document.querySelectorAll("time[datetime]");
            for (var i = 0; i < times.length; i++) {
              var text = times[i].textContent;
              if (!/^(just now|\\d+ minutes? ago|\\d+ hours? ago)$/.test(text)) { continue; }
              var at = Date.parse(times[i].getAttribute("datetime"));
              var seconds = (now - at) / 1000;
              if (isNaN(at) || seconds < 0 || seconds >= 6 * 3600) { continue; }
              var fresh = describe(seconds);
              if (fresh !== text) { times[i].textContent = fresh; }
            }
          }
          window.setInterval(refresh, 30000);

          // The bell's unread count: asked every minute while the page is visible; the server
          // answers 304 when nothing changed (ETag). A change is announced politely.
          var bell = document.querySelector("[data-bell]");
          if (bell && window.fetch) {
            var etag = null;
            var count = bell.querySelector("[data-unread]");
            var label = bell.querySelector("[data-bell-label]");
            var live = document.querySelector("[data-bell-live]");
            var poll = function () {
              if (document.hidden) { return; }
              var headers = etag ? { "If-None-Match": etag } : {};
              fetch("/notifications/count", { headers: headers, credentials: "same-origin" }).then(function (response) {
                if (response.status !== 200) { return null; }
                etag = response.headers.get("ETag");
                return response.json();
              }).then(function (data) {
                if (!data || typeof data.unread !== "number") { return; }
                var before = parseInt(count.getAttribute("data-unread"), 10);
                if (data.unread === before) { return; }
                var text = data.unread === 1 ? "1 unread notification" : data.unread + " unread notifications";
                count.setAttribute("data-unread", String(data.unread));
                count.textContent = String(data.unread);
                count.classList.toggle("empty", data.unread === 0);
                label.textContent = text;
                if (live && data.unread > before) { live.textContent = text; }
              }).catch(function () {});
            };
            window.setInterval(poll, 60000);
            document.addEventListener("visibilitychange", poll);
          }

          // Like buttons: the form posts without a reload and the button, its count and "Liked
          // by" follow the answer; without this file the form posts and comes back.
          function likersPhrase(names, total) {
            if (!names.length) { return "Someone"; }
            if (total <= 1) { return names[0]; }
            if (total === 2) { return names[0] + " and " + (names[1] || "1 other"); }
            return names[0] + " and " + (total - 1) + " others";
          }
          document.addEventListener("submit", function (event) {
            var form = event.target;
            if (!form.hasAttribute || !form.hasAttribute("data-like") || !window.fetch) { return; }
            event.preventDefault();
            var body = new URLSearchParams(new FormData(form));
            // The attribute: the hidden control named "action" shadows form.action.
            fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
              .then(function (response) { return response.ok ? response.json() : null; })
              .then(function (data) {
                if (!data) { form.submit(); return; }
                var button = form.querySelector("button");
                var count = form.querySelector(".count");
                var noun = data.count === 1 ? " like" : " likes";
                button.setAttribute("aria-pressed", data.liked ? "true" : "false");
                count.textContent = String(data.count);
                count.setAttribute("aria-label", data.count + noun);
                form.querySelector("input[name=action]").value = data.liked ? "unlike" : "like";
                var who = form.querySelector(".likers");
                if (data.count === 0) { if (who) { who.remove(); } return; }
                if (!who) {
                  who = document.createElement("a");
                  who.className = "likers";
                  who.href = form.getAttribute("action");
                  form.appendChild(who);
                }
                who.textContent = "Liked by " + likersPhrase(data.latest.slice(0, 3).map(function (l) { return l.name; }), data.count);
              }).catch(function () { form.submit(); });
          });

          // @mention autocomplete (the WAI-ARIA 1.2 combobox pattern with a listbox popup): typing @ and a
          // few letters in a writing field offers up to eight members; arrows move, Enter or Tab
          // picks, Escape closes. Without this file @handle still works when typed in full.
          var mentionLive = null;
          var mentionFields = document.querySelectorAll("form:not([action^='/messages']) textarea[name=body]");
          for (var m = 0; m < mentionFields.length; m++) { mentionCombobox(mentionFields[m], m); }
          function mentionCombobox(field, index) {
            if (!window.fetch) { return; }
            if (!mentionLive) {
              mentionLive = document.createElement("div");
              mentionLive.className = "visually-hidden";
              mentionLive.setAttribute("aria-live", "polite");
              document.body.appendChild(mentionLive);
            }
            var listID = "mention-list-" + index;
            var list = document.createElement("ul");
            list.id = listID;
            list.className = "mention-list";
            list.setAttribute("role", "listbox");
            list.setAttribute("aria-label", "Members to mention");
            list.hidden = true;
            field.insertAdjacentElement("afterend", list);
            // A textarea may take no role (ARIA in HTML): it keeps its textbox role and carries
            // the combobox's properties; the open state is the listbox shown and announced.
            field.setAttribute("aria-autocomplete", "list");
            field.setAttribute("aria-controls", listID);
            var options = [], active = -1, start = -1, timer = null, asked = "";
            function close() {
              list.hidden = true;
              list.innerHTML = "";
              options = [];
              active = -1;
              field.removeAttribute("aria-activedescendant");
            }
            function highlight(next) {
              if (active >= 0) { options[active].el.setAttribute("aria-selected", "false"); }
              active = next;
              if (active < 0) { field.removeAttribute("aria-activedescendant"); return; }
              options[active].el.setAttribute("aria-selected", "true");
              field.setAttribute("aria-activedescendant", options[active].el.id);
            }
            function pick(i) {
              var value = field.value, caret = field.selectionStart;
              var text = "@" + options[i].handle + " ";
              field.value = value.slice(0, start) + text + value.slice(caret);
              var at = start + text.length;
              field.setSelectionRange(at, at);
              close();
              field.focus();
            }
            function show(people) {
              close();
              if (!people.length) { return; }
              for (var i = 0; i < people.length; i++) {
                var li = document.createElement("li");
                li.id = listID + "-" + i;
                li.setAttribute("role", "option");
                li.setAttribute("aria-selected", "false");
                li.appendChild(document.createTextNode(people[i].name));
                var handle = document.createElement("span");
                handle.className = "handle";
                handle.textContent = "@" + people[i].handle;
                li.appendChild(handle);
                li.addEventListener("mousedown", function (e) { e.preventDefault(); });
                li.addEventListener("click", (function (n) { return function () { pick(n); }; })(i));
                list.appendChild(li);
                options.push({ el: li, handle: people[i].handle });
              }
              list.hidden = false;
              mentionLive.textContent = people.length === 1 ? "1 member found" : people.length + " members found";
            }
            function typedMention() {
              var before = field.value.slice(0, field.selectionStart);
              var match = /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.-]{1,40})$/.exec(before);
              if (!match) { return null; }
              start = before.length - match[2].length - 1;
              return match[2];
            }
            field.addEventListener("input", function () {
              var typed = typedMention();
              if (!typed) { close(); return; }
              window.clearTimeout(timer);
              timer = window.setTimeout(function () {
                asked = typed;
                fetch("/mentions/members?q=" + encodeURIComponent(typed), { credentials: "same-origin", headers: { "Accept": "application/json" } })
                  .then(function (r) { return r.ok && (r.headers.get("Content-Type") || "").indexOf("json") >= 0 ? r.json() : []; })
                  .then(function (people) { if (asked === typed && typedMention() === typed) { show(people); } })
                  .catch(close);
              }, 150);
            });
            field.addEventListener("keydown", function (e) {
              if (list.hidden) { return; }
              if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % options.length); }
              else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? options.length - 1 : active - 1); }
              else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) { e.preventDefault(); pick(active); }
              else if (e.key === "Escape") { e.preventDefault(); close(); }
            });
            field.addEventListener("blur", function () { window.setTimeout(close, 150); });
          }
        })();
        """
}

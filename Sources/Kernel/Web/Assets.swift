import HTTP

/// The one stylesheet and the one small script, compiled in so the binary needs no files at
/// run time. Served with a strong ETag and long caching (URLs carry a version).
public enum Assets {
    public static let stylesheetVersion = String(SHA256.hex(stylesheet).prefix(10))
    public static let scriptVersion = String(SHA256.hex(script).prefix(10))

    /// Answers with 304 when the browser already has this version.
    static func serve(_ content: String, type: String, request: HTTPRequest) -> HTTPResponse {
        let etag = "\"" + String(SHA256.hex(content).prefix(20)) + "\""
        let cache = request.queryValue("v") == nil ? "public, max-age=300" : "public, max-age=31536000, immutable"
        if let match = request.headers["If-None-Match"], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
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

    public static let stylesheet = """
        *,*::before,*::after{box-sizing:border-box}
        :root{--primary:#1f5f8b;--accent:#f0a500;--ink:#1d2733;--muted:#56606b;--line:#d9dee4;--bg:#f5f7fa;--card:#fff;--danger:#a4262c;--ok:#1e6b3a}
        html{font-size:100%}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.55;color:var(--ink);background:var(--bg)}
        a{color:var(--primary)}
        a:hover{text-decoration-thickness:2px}
        :focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        .skip-link{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
        .skip-link:focus{left:.5rem}
        .site-header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:1rem clamp(1rem,4vw,2.5rem);background:var(--primary);color:#fff}
        .site-header a{color:#fff}
        .brand{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem}
        .brand .logo{height:2.5rem;width:auto;align-self:center}
        .brand .name{font-size:1.6rem;font-weight:700;text-decoration:none}
        .brand .tagline{margin:0;opacity:.92}
        .account{display:flex;align-items:center;gap:.75rem}
        .site-nav{background:#fff;border-bottom:1px solid var(--line)}
        .site-nav ul{list-style:none;margin:0;padding:0 clamp(.5rem,3vw,2rem);display:flex;flex-wrap:wrap}
        .site-nav a{display:block;padding:.75rem 1rem;text-decoration:none;color:var(--ink);font-weight:600}
        .site-nav a[aria-current=page]{box-shadow:inset 0 -3px 0 var(--primary);color:var(--primary)}
        .page{max-width:72rem;margin:0 auto;padding:1.5rem clamp(1rem,3vw,2rem);display:grid;gap:1.5rem}
        .page.with-sidebar{grid-template-columns:minmax(0,1fr)}
        @media (min-width:60rem){.page.with-sidebar{grid-template-columns:minmax(0,1fr) 20rem}}
        main{min-width:0}
        main:focus{outline:none}
        h1{font-size:1.75rem;line-height:1.25;margin:.25rem 0 1rem}
        h2{font-size:1.25rem;margin:1.5rem 0 .75rem}
        .box,.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1rem}
        .sidebar .box h2{margin-top:0;font-size:1.1rem}
        .activity-list{list-style:none;margin:0;padding:0}
        .activity{padding:.6rem 0;border-bottom:1px solid var(--line)}
        .activity:last-child{border-bottom:0}
        .activity .when,.meta,.small{color:var(--muted);font-size:.875rem}
        .activity .excerpt{margin:.25rem 0 0;color:var(--muted)}
        .welcome{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1.5rem}
        .welcome h1{margin-top:0}
        .button,button,input[type=submit]{display:inline-block;font:inherit;font-weight:600;padding:.55rem 1.1rem;border-radius:.4rem;border:2px solid var(--primary);background:var(--primary);color:#fff;text-decoration:none;cursor:pointer}
        .site-header .button{background:#fff;color:var(--primary);border-color:#fff}
        button.secondary,.button.secondary{background:#fff;color:var(--primary)}
        button.danger{background:var(--danger);border-color:var(--danger)}
        button.link{background:none;border:0;padding:0;color:inherit;text-decoration:underline;font-weight:400}
        form.inline{display:inline}
        label{display:block;font-weight:600;margin:.75rem 0 .25rem}
        input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],input[type=search],input[type=date],input[type=datetime-local],select,textarea{width:100%;max-width:40rem;font:inherit;padding:.5rem .6rem;border:1px solid #8a949e;border-radius:.35rem;background:#fff;color:var(--ink)}
        textarea{min-height:8rem}
        .hint{color:var(--muted);font-size:.875rem;margin:.2rem 0}
        .field-error{color:var(--danger);font-weight:600;margin:.25rem 0}
        [aria-invalid=true]{border-color:var(--danger);border-width:2px}
        .errors{color:var(--danger)}
        .flash{padding:.75rem 1rem;border-radius:.4rem;margin-bottom:1rem;border:1px solid}
        .flash-success{background:#e8f5ec;border-color:#9fd3b0;color:var(--ok)}
        .flash-error{background:#fbeaea;border-color:#e5a5a8;color:var(--danger)}
        .flash-info{background:#eaf2fb;border-color:#a9c7e8}
        .pager{display:flex;justify-content:space-between;margin:1rem 0}
        .prose img,.prose video{max-width:100%;height:auto}
        .prose pre{overflow-x:auto;background:#f0f2f5;padding:.75rem;border-radius:.35rem}
        table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
        .site-footer{text-align:center;padding:2rem 1rem;color:var(--muted);border-top:1px solid var(--line);background:#fff}
        .empty{color:var(--muted)}
        @media print{.site-nav,.sidebar,.site-footer,.account,.skip-link,button,.button{display:none!important}body{background:#fff}.page{display:block;padding:0}.box,.card{border:0}}
        """

    public static let script = """
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
        })();
        """
}

/// The messages module's part of the stylesheet (served only while the module is enabled).
///
/// ```swift
/// context.stylesheet(MessagesStyles.css)   // in bootstrap
/// ```
enum MessagesStyles {
    static let css = """
        .messages-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
        .message-tabs ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 1.25rem;padding:0;border-bottom:2px solid var(--line)}
        .message-tabs a{display:block;padding:.4rem .65rem;font-weight:600;text-decoration:none;border-bottom:3px solid transparent;margin-bottom:-2px}
        .message-tabs a[aria-current=page]{border-bottom-color:var(--primary);color:var(--ink)}
        .conversations,.message-list,.context-choices,.blocked{list-style:none;margin:0 0 1rem;padding:0}
        .conversations>li{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.8rem 1.1rem;margin-bottom:.6rem}
        .conversations h2{font-size:1.05rem;margin:0 0 .2rem}
        .conversations .has-unread h2 a{font-weight:800}
        .conversations .preview{margin:.2rem 0;color:var(--muted)}
        .badge.unread{background:var(--primary);color:#fff}
        .message-list>li{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.7rem 1rem;margin:0 2.5rem .6rem 0}
        .message-list>li.mine{margin:0 0 .6rem 2.5rem;background:var(--soft)}
        .message-list .meta{margin:0 0 .3rem}
        .message .removed{font-style:italic;color:var(--muted)}
        .conversation-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
        .context-choices li{margin:.35rem 0}
        """
}

/// The blog module's stylesheet: served as its own file while the module is enabled, and linked
/// after the kernel's and earlier modules' by the pages its rules can style.
///
/// ```swift
/// context.stylesheet(BlogStyles.css)   // in bootstrap
/// ```
enum BlogStyles {
    static let css = """
        .post-list,.comment-list,.drafts{list-style:none;margin:0 0 1rem;padding:0}
        .tags{margin:.75rem 0;color:var(--muted)}
        .blog-tabs ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 1.25rem;padding:0;border-bottom:2px solid var(--line)}
        .blog-tabs a{display:block;padding:.4rem .65rem;font-size:.95rem;text-decoration:none;font-weight:600;border-radius:.4rem .4rem 0 0;margin-bottom:-2px;border-bottom:3px solid transparent}
        .blog-tabs a:hover{background:var(--soft)}
        .blog-tabs a[aria-current=page]{border-bottom-color:var(--primary);color:var(--ink)}
        .post-list>li,.drafts>li{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.25rem;margin-bottom:.9rem;box-shadow:var(--shadow)}
        .post-list h2,.post-list h3{font-size:1.15rem;margin:0 0 .35rem}
        .post-list p{margin:.25rem 0}
        .post h1{margin-bottom:.35rem}
        .post .prose{font-size:1.075rem}
        .comments{margin-top:2rem}
        .comment-thread{margin-bottom:1rem}
        .comment-list .replies{margin:.5rem 0 0 clamp(.75rem,4vw,2rem);padding-left:.75rem;border-left:3px solid var(--line)}
        """
}

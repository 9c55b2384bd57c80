/// The groups module's stylesheet: served as its own file while the module is enabled, and linked
/// after the kernel's and earlier modules' by the pages its rules can style.
///
/// ```swift
/// context.stylesheet(GroupsStyles.css)   // in bootstrap
/// ```
enum GroupsStyles {
    static let css = """
        .group-list,.discussion-list,.member-rows{list-style:none;margin:0 0 1rem;padding:0}
        .group-nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 1.25rem;padding:0;border-bottom:2px solid var(--line)}
        .group-nav a{display:block;padding:.4rem .65rem;font-size:.95rem;text-decoration:none;font-weight:600;border-radius:.4rem .4rem 0 0;margin-bottom:-2px;border-bottom:3px solid transparent}
        .group-nav a:hover{background:var(--soft)}
        .group-nav a[aria-current=page]{border-bottom-color:var(--primary);color:var(--ink)}
        .group-head{display:flex;flex-wrap:wrap;align-items:center;gap:1rem 1.5rem;margin-bottom:1.25rem}
        .group-head h1{margin:0 0 .25rem}
        .group-head>div{flex:1 1 16rem;min-width:0}
        .group-image{flex:none;border-radius:var(--radius);object-fit:cover}
        .placeholder.group-image{display:inline-flex;align-items:center;justify-content:center;color:#fff;font-weight:800;letter-spacing:.02em;background:var(--primary)}
        .group-image.size-40{width:40px;height:40px;font-size:.9rem}
        .group-image.size-64{width:64px;height:64px;font-size:1.4rem}
        .group-image.size-96{width:96px;height:96px;font-size:2rem}
        .placeholder.tone-1{background:#6b3fa0}.placeholder.tone-2{background:#1e6b3a}.placeholder.tone-3{background:#a4262c}.placeholder.tone-4{background:#7a4a00}.placeholder.tone-5{background:#00627a}
        .group-card.media{gap:1rem}
        .group-card h2{margin-top:0}
        .leaders,.member-names{list-style:none;margin:0 0 1rem;padding:0}
        .leaders>li{padding:.25rem 0}
        .leaders .media-body{align-self:center}
        .member-names{display:flex;flex-wrap:wrap;gap:.5rem}
        .member-names a{display:inline-flex;align-items:center;gap:.4rem;padding:.2rem .7rem .2rem .2rem;background:var(--card);border:1px solid var(--line);border-radius:2rem;text-decoration:none;font-weight:600;font-size:.95rem}
        .discussion-list .media-body>a{font-weight:600}
        .join-to-reply p{margin:.25rem 0 .5rem}
        .member-row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:.6rem .9rem;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);margin-bottom:.5rem}
        .member-row>a{display:inline-flex;align-items:center;gap:.75rem;font-weight:600;text-decoration:none}
        .group-list>li,.discussion-list>li{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.25rem;margin-bottom:.9rem;box-shadow:var(--shadow)}
        .group-list h2,.group-list h3,.discussion-list h2,.discussion-list h3{font-size:1.15rem;margin:0 0 .35rem}
        .group-list p,.discussion-list p{margin:.25rem 0}
        .discussion-topic .prose{max-width:none}
        .discussion-controls{margin:.5rem 0 1rem}
        @media print{.group-nav{display:none!important}}
        """
}

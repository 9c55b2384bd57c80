/// The Membership module's stylesheet: served as its own file while the module is enabled, and linked
/// after the kernel's and earlier modules' by the pages its rules can style.
///
/// ```swift
/// context.stylesheet(MembershipStyles.css)   // in bootstrap
/// ```
enum MembershipStyles {
    static let css = """
        .statuses,.member-grid,.friend-list,.friend-rows{list-style:none;margin:0 0 1rem;padding:0}
        .avatar{display:inline-block;border-radius:50%;object-fit:cover;flex:none;vertical-align:middle;background:var(--soft)}
        .avatar.initials{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;background:var(--primary);color:#fff;font-weight:700;font-size:.95rem;letter-spacing:.03em;text-decoration:none}
        .initials.size-24{width:24px;height:24px;font-size:.6rem}
        .initials.size-32{width:32px;height:32px;font-size:.75rem}
        .initials.size-48{width:48px;height:48px;font-size:1.05rem}
        .initials.size-64{width:64px;height:64px;font-size:1.35rem}
        .initials.size-96{width:96px;height:96px;font-size:2rem}
        .initials.size-128{width:128px;height:128px;font-size:2.6rem}
        .profile-head{display:flex;flex-wrap:wrap;align-items:center;gap:1rem 1.5rem;margin-bottom:1.25rem}
        .profile-head h1{margin:0 0 .25rem}
        .profile-head>div{flex:1 1 16rem;min-width:0}
        .answers{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.4rem 1.25rem}
        .answers dt{font-weight:600;color:var(--muted)}
        .answers dd{margin:0}
        .member-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.9rem}
        .member-card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem .75rem;text-align:center;box-shadow:var(--shadow)}
        .member-card a{display:flex;flex-direction:column;align-items:center;gap:.5rem;text-decoration:none;font-weight:600}
        .member-card a:hover .name{text-decoration:underline}
        .member-card .meta{display:block;margin-top:.25rem;font-size:.82rem}
        .friend-list{display:flex;flex-wrap:wrap;gap:.6rem}
        .friend-list a{display:inline-flex;align-items:center;gap:.5rem;padding:.3rem .8rem .3rem .3rem;background:var(--card);border:1px solid var(--line);border-radius:2rem;text-decoration:none;font-weight:600}
        .friend-rows li,.friend-row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:.6rem .9rem;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);margin-bottom:.5rem}
        .friend-row>a,.friend-rows li>a{display:inline-flex;align-items:center;gap:.75rem;font-weight:600;text-decoration:none}
        .statuses .status{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem;margin-bottom:.6rem}
        .status p{margin:0 0 .25rem}
        .status-form textarea{min-height:5rem}
        """
}

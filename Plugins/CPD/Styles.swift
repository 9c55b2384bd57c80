/// The CPD module's stylesheet: served as its own file while the module is enabled, and linked
/// after the kernel's and earlier modules' by the pages its rules can style.
///
/// ```swift
/// context.stylesheet(CPDStyles.css)   // in bootstrap
/// ```
enum CPDStyles {
    static let css = """
        .session-list{list-style:none;margin:0 0 1rem;padding:0}
        .card-title{font-size:1.15rem;margin:0 0 .35rem}
        .subnav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 1.25rem;padding:0;border-bottom:2px solid var(--line)}
        .subnav a{display:block;padding:.4rem .65rem;font-size:.95rem;text-decoration:none;font-weight:600;border-radius:.4rem .4rem 0 0;margin-bottom:-2px;border-bottom:3px solid transparent}
        .subnav a:hover{background:var(--soft)}
        @media (max-width:40rem){.subnav ul{flex-wrap:nowrap;overflow-x:auto;scrollbar-width:thin;-webkit-overflow-scrolling:touch}.subnav li{flex:none}.subnav a{white-space:nowrap}}
        .subnav a[aria-current=page]{border-bottom-color:var(--primary);color:var(--ink)}
        .session-list>li{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.25rem;margin-bottom:.9rem;box-shadow:var(--shadow)}
        .session-list p{margin:.25rem 0}
        .certificate{max-width:44rem;margin:0 auto 1.5rem;text-align:center;padding:2.5rem clamp(1rem,5vw,3rem);border:3px double var(--primary);background:#fff;background-image:linear-gradient(var(--accent),var(--accent));background-size:100% 6px;background-repeat:no-repeat}
        .certificate h1{font-family:Georgia,"Times New Roman",serif;font-size:clamp(1.6rem,6vw,2.4rem);color:var(--primary);margin:.5rem 0 1.25rem}
        .certificate strong{font-size:1.3rem}
        .certificate dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;text-align:left;max-width:34rem;margin:1.5rem auto}
        .certificate dt{font-weight:600;color:var(--muted)}
        .certificate dd{margin:0}
        .record-print table{font-size:.95rem}
        /* A certificate is also a card: on narrow screens it takes the card padding. */
        @media (max-width:30rem){.certificate{padding:.9rem 1rem}}
        @media print{.subnav,.no-print{display:none!important}.certificate{border:3px double #000;padding:2rem;page-break-inside:avoid;box-shadow:none}.certificate h1{color:#000}}
        """
}

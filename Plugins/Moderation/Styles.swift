/// The moderation module's part of the stylesheet: the kernel serves it after its own rules and
/// those of the modules before this one, and only while the module is enabled.
///
/// ```swift
/// context.stylesheet(ModerationStyles.css)   // in bootstrap
/// ```
enum ModerationStyles {
    static let css = """
        .reports,.notes,.audit,.badges{list-style:none;margin:0 0 1rem;padding:0}
        .assignment{margin-bottom:.75rem}
        .urgent,.reports .urgent{border-left:5px solid var(--danger)}
        """
}

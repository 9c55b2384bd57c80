/// The moderation module's stylesheet: served as its own file while the module is enabled, and linked
/// after the kernel's and earlier modules' by the pages its rules can style.
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

/// How many rows one page of a list may ask for: whatever a query string, the API or a caller
/// asks, a page holds at least one row and at most the list's own maximum.
///
/// ```swift
/// let limit = PageSize.clamp(requested, to: 100)   // 0 → 1, 500 → 100, 20 → 20
/// ```
public enum PageSize {
    public static func clamp(_ requested: Int, to maximum: Int) -> Int {
        max(1, min(requested, maximum))
    }
}

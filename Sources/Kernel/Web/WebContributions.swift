/// Routes and pages contributed by modules; filled in by the web layer.
public struct WebContributions: Sendable {
    public init() {}
}

import Kernel

/// One profile question from the config script.
public struct ProfileQuestion: Sendable, Equatable {
    public enum Kind: String, Sendable { case text, choice, multiple, url }
    public var id: String
    public var label: String
    public var kind: Kind
    public var options: [String]
    public var required: Bool
}

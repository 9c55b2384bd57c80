/// The kinds of node in a parsed document: CommonMark's blocks, then its inlines.
enum NodeKind: UInt8 {
    case document, blockQuote, list, item, paragraph, heading, thematicBreak, codeBlock, htmlBlock
    case text, softBreak, lineBreak, code, htmlInline, emphasis, strong, link, image

    /// Containers are visited twice by the renderer (entering and leaving); leaves once.
    var isContainer: Bool {
        switch self {
        case .document, .blockQuote, .list, .item, .paragraph, .heading, .emphasis, .strong, .link,
            .image:
            return true
        default:
            return false
        }
    }
}

/// What a list marker says about its list; items of one list share type, bullet and delimiter.
struct ListData {
    var isOrdered = false
    var bulletChar: UInt8 = 0
    var start = 1
    var delimiter: UInt8 = 0
    var padding = 0
    var markerOffset = 0
    var isTight = true

    func continues(_ other: ListData) -> Bool {
        isOrdered == other.isOrdered && delimiter == other.delimiter && bulletChar == other.bulletChar
    }
}

/// The rarely used per-node fields, kept out of `Node` so that the many small inline nodes stay small.
struct NodeDetails {
    var isFenced = false
    var fenceChar: UInt8 = 0
    var fenceLength = 0
    var fenceOffset = 0
    var info: [UInt8] = []
    var htmlBlockType = 0
    var list = ListData()
    var destination: [UInt8] = []
    var title: [UInt8] = []
}

/// One node of the arena. Links are indices into `Tree.nodes`; -1 means none. An arena (rather than
/// class instances) keeps deep documents free of recursive deallocation and reference cycles.
struct Node {
    var kind: NodeKind
    var parent = -1
    var firstChild = -1
    var lastChild = -1
    var next = -1
    var previous = -1
    var isOpen = true
    var startLine = 0
    var endLine = 0
    var depth = 0
    var level = 0
    /// Raw content of a leaf block while parsing, the literal of an inline leaf afterwards.
    var content: [UInt8] = []
    var details = -1
}

/// The document as an arena of nodes; node 0 is the document.
final class Tree {
    var nodes: [Node] = [Node(kind: .document)]
    var details: [NodeDetails] = []

    static let root = 0

    func make(_ kind: NodeKind, content: [UInt8] = []) -> Int {
        nodes.append(Node(kind: kind, content: content))
        return nodes.count - 1
    }

    /// The node's details record, created on first use.
    func detailsIndex(_ node: Int) -> Int {
        if nodes[node].details < 0 {
            details.append(NodeDetails())
            nodes[node].details = details.count - 1
        }
        return nodes[node].details
    }

    /// The node's details, or defaults when it has none (reading never allocates a record).
    subscript(details node: Int) -> NodeDetails {
        let index = nodes[node].details
        return index < 0 ? NodeDetails() : details[index]
    }

    func append(_ child: Int, to parent: Int) {
        nodes[child].parent = parent
        nodes[child].next = -1
        let last = nodes[parent].lastChild
        nodes[child].previous = last
        if last >= 0 {
            nodes[last].next = child
        } else {
            nodes[parent].firstChild = child
        }
        nodes[parent].lastChild = child
    }

    func unlink(_ node: Int) {
        let previous = nodes[node].previous
        let next = nodes[node].next
        let parent = nodes[node].parent
        if previous >= 0 {
            nodes[previous].next = next
        } else if parent >= 0 {
            nodes[parent].firstChild = next
        }
        if next >= 0 {
            nodes[next].previous = previous
        } else if parent >= 0 {
            nodes[parent].lastChild = previous
        }
        nodes[node].parent = -1
        nodes[node].next = -1
        nodes[node].previous = -1
    }

    func insert(_ node: Int, after sibling: Int) {
        let next = nodes[sibling].next
        let parent = nodes[sibling].parent
        nodes[node].parent = parent
        nodes[node].previous = sibling
        nodes[node].next = next
        nodes[sibling].next = node
        if next >= 0 {
            nodes[next].previous = node
        } else if parent >= 0 {
            nodes[parent].lastChild = node
        }
    }
}

/// A link reference definition: `[label]: destination "title"`.
struct LinkReference {
    var destination: [UInt8]
    var title: [UInt8]
}

/// Phase one of the spec's parsing strategy: consumes the input line by line, building the tree of
/// container and leaf blocks and collecting link reference definitions. Follows the structure of
/// the reference implementation (commonmark.js): for each line, match the open containers, then
/// try new block starts, then add the remaining text to the innermost block.
final class BlockParser {
    let tree = Tree()
    var references: [String: LinkReference] = [:]
    private let maximumNesting: Int

    private var line: [UInt8] = []
    private var lineNumber = 0
    private var offset = 0
    private var column = 0
    private var nextNonspace = 0
    private var nextNonspaceColumn = 0
    private var indent = 0
    private var indented = false
    private var blank = false
    private var partiallyConsumedTab = false
    private var allClosed = true
    private var tip = Tree.root
    private var oldTip = Tree.root
    private var lastMatchedContainer = Tree.root
    private var whitespaceRunStart = -1
    private var whitespaceRunEnd = -1
    private var whitespaceRunEndColumn = 0

    private static let codeIndent = 4

    init(maximumNesting: Int) {
        self.maximumNesting = maximumNesting
    }

    /// Parses the whole input. `input` must be valid UTF-8 (NUL bytes are replaced here).
    func parse(_ input: [UInt8]) -> Tree {
        var start = 0
        let count = input.count
        var i = 0
        while i < count {
            let c = input[i]
            if c == Byte.newline || c == Byte.carriageReturn {
                incorporate(input[start..<i])
                if c == Byte.carriageReturn, i + 1 < count, input[i + 1] == Byte.newline { i += 1 }
                start = i + 1
            }
            i += 1
        }
        // A final line ending does not start another (empty) line.
        if start < count || count == 0 {
            incorporate(input[start..<count])
        }
        while tip != -1 {
            finalize(tip, lineNumber)
        }
        return tree
    }

    // MARK: - Line state

    @inline(__always) private func peek(_ position: Int) -> UInt8? {
        position < line.count ? line[position] : nil
    }

    private func findNextNonspace() {
        // Every open container looks for the next non-space character from its own offset; on a
        // deeply indented line that would rescan the same run of spaces once per container. The
        // column of a position is a function of the line alone (a half-consumed tab still ends at
        // its tab stop), so the end of the last scanned run and its column can be reused from any
        // offset inside the run.
        if offset >= whitespaceRunStart, offset <= whitespaceRunEnd {
            nextNonspace = whitespaceRunEnd
            nextNonspaceColumn = whitespaceRunEndColumn
        } else {
            var i = offset
            var columns = column
            while i < line.count {
                let c = line[i]
                if c == Byte.space {
                    columns += 1
                } else if c == Byte.tab {
                    columns += 4 - (columns % 4)
                } else {
                    break
                }
                i += 1
            }
            nextNonspace = i
            nextNonspaceColumn = columns
            whitespaceRunStart = offset
            whitespaceRunEnd = i
            whitespaceRunEndColumn = columns
        }
        blank = nextNonspace >= line.count
        indent = nextNonspaceColumn - column
        indented = indent >= Self.codeIndent
    }

    private func advanceNextNonspace() {
        offset = nextNonspace
        column = nextNonspaceColumn
        partiallyConsumedTab = false
    }

    /// Advances by `count` characters, or by `count` columns when `columns` is set (a tab then
    /// counts as the spaces up to the next tab stop and may be consumed partially).
    private func advanceOffset(_ count: Int, columns: Bool) {
        var count = count
        while count > 0, offset < line.count {
            if line[offset] == Byte.tab {
                let charsToTab = 4 - (column % 4)
                if columns {
                    partiallyConsumedTab = charsToTab > count
                    let charsToAdvance = min(charsToTab, count)
                    column += charsToAdvance
                    offset += partiallyConsumedTab ? 0 : 1
                    count -= charsToAdvance
                } else {
                    partiallyConsumedTab = false
                    column += charsToTab
                    offset += 1
                    count -= 1
                }
            } else {
                partiallyConsumedTab = false
                offset += 1
                column += 1
                count -= 1
            }
        }
    }

    // MARK: - Tree building

    private func addLine() {
        if partiallyConsumedTab {
            offset += 1
            let charsToTab = 4 - (column % 4)
            tree.nodes[tip].content.append(contentsOf: repeatElement(Byte.space, count: charsToTab))
        }
        if offset < line.count {
            tree.nodes[tip].content.append(contentsOf: line[offset...])
        }
        tree.nodes[tip].content.append(Byte.newline)
    }

    private func canContain(_ parent: NodeKind, _ child: NodeKind) -> Bool {
        switch parent {
        case .document, .blockQuote, .item: return child != .item
        case .list: return child == .item
        default: return false
        }
    }

    private func acceptsLines(_ kind: NodeKind) -> Bool {
        kind == .paragraph || kind == .codeBlock || kind == .htmlBlock
    }

    @discardableResult
    private func addChild(_ kind: NodeKind) -> Int {
        while !canContain(tree.nodes[tip].kind, kind) {
            finalize(tip, lineNumber - 1)
        }
        let node = tree.make(kind)
        tree.nodes[node].startLine = lineNumber
        tree.nodes[node].depth = tree.nodes[tip].depth + 1
        tree.append(node, to: tip)
        tip = node
        return node
    }

    private func closeUnmatchedBlocks() {
        guard !allClosed else { return }
        while oldTip != lastMatchedContainer {
            let parent = tree.nodes[oldTip].parent
            finalize(oldTip, lineNumber - 1)
            oldTip = parent
        }
        allClosed = true
    }

    private func finalize(_ block: Int, _ endLine: Int) {
        let above = tree.nodes[block].parent
        tree.nodes[block].isOpen = false
        tree.nodes[block].endLine = endLine
        switch tree.nodes[block].kind {
        case .paragraph: finalizeParagraph(block)
        case .codeBlock: finalizeCodeBlock(block)
        case .htmlBlock:
            // An HTML block left open by the end of its container may have taken blank lines in;
            // like cmark, count it as ending with them when telling loose lists from tight ones.
            let content = tree.nodes[block].content
            let blankLines = content[endOfLastNonblankLine(content)...].reduce(0) {
                $0 + ($1 == Byte.newline ? 1 : 0)
            }
            tree.nodes[block].endLine = max(tree.nodes[block].startLine, endLine - blankLines)
        case .item:
            let last = tree.nodes[block].lastChild
            tree.nodes[block].endLine = last >= 0 ? tree.nodes[last].endLine : tree.nodes[block].startLine
        case .list: finalizeList(block)
        default: break
        }
        tip = above
    }

    private func finalizeParagraph(_ block: Int) {
        var content = tree.nodes[block].content
        let consumed = consumeReferenceDefinitions(&content)
        if consumed > 0 {
            tree.nodes[block].startLine += consumed
            tree.nodes[block].content = content
        }
        // Empty when definitions took all of it (possibly already when a setext underline was tried).
        if content.allSatisfy(isASCIIWhitespace) {
            tree.unlink(block)
        }
    }

    /// Removes the link reference definitions at the start of a paragraph's content, recording
    /// them; returns how many lines they took.
    private func consumeReferenceDefinitions(_ content: inout [UInt8]) -> Int {
        var lines = 0
        var start = 0
        while start < content.count, content[start] == Byte.openBracket,
            let end = parseReferenceDefinition(content, from: start)
        {
            lines += content[start..<end].reduce(0) { $0 + ($1 == Byte.newline ? 1 : 0) }
            start = end
        }
        if start > 0 { content.removeFirst(start) }
        return lines
    }

    /// Parses one link reference definition at `start`; records it and returns the index after it.
    private func parseReferenceDefinition(_ s: [UInt8], from start: Int) -> Int? {
        let end = s.count
        guard let labelEnd = scanLinkLabel(s, at: start, end: end) else { return nil }
        var i = labelEnd
        guard i < end, s[i] == Byte.colon else { return nil }
        i = skipSpacesAndOneNewline(s, i + 1, end)
        guard let destination = scanLinkDestination(s, at: i, end: end) else { return nil }
        if destination.end == i, !destination.isPointy { return nil }
        i = destination.end
        let beforeTitle = i
        i = skipSpacesAndOneNewline(s, i, end)
        var title: [UInt8] = []
        var afterDefinition: Int?
        if i > beforeTitle, let scanned = scanLinkTitle(s, at: i, end: end) {
            let lineEnd = skipSpacesAndTabs(s, scanned.end, end)
            if lineEnd == end || s[lineEnd] == Byte.newline {
                title = scanned.title
                afterDefinition = min(lineEnd + 1, end)
            }
        }
        if afterDefinition == nil {
            // Without a (valid) title the destination must end its line.
            let lineEnd = skipSpacesAndTabs(s, beforeTitle, end)
            guard lineEnd == end || s[lineEnd] == Byte.newline else { return nil }
            afterDefinition = min(lineEnd + 1, end)
        }
        guard let key = normalizeLabel(s[(start + 1)..<(labelEnd - 1)]) else { return nil }
        if references[key] == nil {
            references[key] = LinkReference(destination: destination.url, title: title)
        }
        return afterDefinition
    }

    private func finalizeCodeBlock(_ block: Int) {
        let content = tree.nodes[block].content
        if tree[details: block].isFenced {
            let newline = content.firstIndex(of: Byte.newline) ?? content.count
            var first = content[0..<newline]
            while let c = first.first, isASCIIWhitespace(c) { first = first.dropFirst() }
            while let c = first.last, isASCIIWhitespace(c) { first = first.dropLast() }
            tree.details[tree.detailsIndex(block)].info = unescapeString(first)
            tree.nodes[block].content = newline < content.count ? Array(content[(newline + 1)...]) : []
        } else {
            // Trailing blank lines are not part of an indented code block; the block then ends
            // before them, which matters for telling tight lists from loose ones.
            let end = endOfLastNonblankLine(content)
            tree.nodes[block].endLine -= content[end...].reduce(0) { $0 + ($1 == Byte.newline ? 1 : 0) }
            tree.nodes[block].content = Array(content[0..<end])
        }
    }

    /// The index after the line ending of the last line that is not blank (0 if none is).
    private func endOfLastNonblankLine(_ content: [UInt8]) -> Int {
        var end = content.count
        while end > 0 {
            var lineStart = end - 1
            while lineStart > 0, content[lineStart - 1] != Byte.newline { lineStart -= 1 }
            guard content[lineStart..<(end - 1)].allSatisfy(isSpaceOrTab) else { break }
            end = lineStart
        }
        return end
    }

    private func finalizeList(_ block: Int) {
        var item = tree.nodes[block].firstChild
        var tight = true
        outer: while item >= 0 {
            if tree.nodes[item].next >= 0, endsWithBlankLine(item) {
                tight = false
                break
            }
            var child = tree.nodes[item].firstChild
            while child >= 0 {
                if tree.nodes[child].next >= 0, endsWithBlankLine(child) {
                    tight = false
                    break outer
                }
                child = tree.nodes[child].next
            }
            item = tree.nodes[item].next
        }
        tree.details[tree.detailsIndex(block)].list.isTight = tight
        let last = tree.nodes[block].lastChild
        if last >= 0 { tree.nodes[block].endLine = tree.nodes[last].endLine }
    }

    /// A block is followed by a blank line when its next sibling does not start on the next line.
    private func endsWithBlankLine(_ block: Int) -> Bool {
        let next = tree.nodes[block].next
        return next >= 0 && tree.nodes[block].endLine != tree.nodes[next].startLine - 1
    }

    // MARK: - Lines

    private func incorporate(_ raw: ArraySlice<UInt8>) {
        line = Array(raw)
        // NUL is replaced for security, as the spec requires.
        if line.contains(0) {
            var replaced: [UInt8] = []
            for c in line {
                if c == 0 { replaced.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { replaced.append(c) }
            }
            line = replaced
        }
        var allMatched = true
        var container = Tree.root
        oldTip = tip
        offset = 0
        column = 0
        whitespaceRunStart = -1
        whitespaceRunEnd = -1
        blank = false
        partiallyConsumedTab = false
        lineNumber += 1

        while true {
            let last = tree.nodes[container].lastChild
            guard last >= 0, tree.nodes[last].isOpen else { break }
            container = last
            findNextNonspace()
            switch continueBlock(container) {
            case .matched: break
            case .failed: allMatched = false
            case .lineConsumed: return
            }
            if !allMatched {
                container = tree.nodes[container].parent
                break
            }
        }

        allClosed = container == oldTip
        lastMatchedContainer = container

        var containerKind = tree.nodes[container].kind
        var matchedLeaf = containerKind != .paragraph && acceptsLines(containerKind)
        while !matchedLeaf {
            findNextNonspace()
            if !indented, !isMaybeSpecial(peek(nextNonspace)) {
                advanceNextNonspace()
                break
            }
            let result = tryBlockStarts(container)
            if result == .none {
                advanceNextNonspace()
                break
            }
            container = tip
            if result == .leaf { matchedLeaf = true }
        }

        containerKind = tree.nodes[container].kind
        if !allClosed, !blank, tree.nodes[tip].kind == .paragraph {
            // Lazy paragraph continuation.
            addLine()
        } else {
            closeUnmatchedBlocks()
            if acceptsLines(containerKind) {
                addLine()
                let type = tree[details: container].htmlBlockType
                if containerKind == .htmlBlock, type >= 1, type <= 5, htmlBlockEnds(type, line, from: offset) {
                    finalize(container, lineNumber)
                }
            } else if offset < line.count, !blank {
                addChild(.paragraph)
                advanceNextNonspace()
                addLine()
            }
        }
    }

    private func isMaybeSpecial(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        switch c {
        case Byte.hash, Byte.backtick, Byte.tilde, Byte.asterisk, Byte.plus, Byte.underscore, Byte.equals,
            Byte.lessThan, Byte.greaterThan, Byte.minus:
            return true
        default:
            return isDigit(c)
        }
    }

    private enum Continuation { case matched, failed, lineConsumed }

    private func continueBlock(_ container: Int) -> Continuation {
        switch tree.nodes[container].kind {
        case .document, .list:
            return .matched
        case .blockQuote:
            guard !indented, peek(nextNonspace) == Byte.greaterThan else { return .failed }
            advanceNextNonspace()
            advanceOffset(1, columns: false)
            if let c = peek(offset), isSpaceOrTab(c) { advanceOffset(1, columns: true) }
            return .matched
        case .item:
            let list = tree[details: container].list
            // Indentation first (as cmark does): a line of only spaces inside a fenced code block
            // keeps what lies beyond the item's indentation.
            if indent >= list.markerOffset + list.padding {
                advanceOffset(list.markerOffset + list.padding, columns: true)
            } else if blank {
                // An item that started with a blank line ends at the next blank line.
                if tree.nodes[container].firstChild < 0 { return .failed }
                advanceNextNonspace()
            } else {
                return .failed
            }
            return .matched
        case .heading, .thematicBreak:
            return .failed
        case .codeBlock:
            let details = tree[details: container]
            if details.isFenced {
                if indent <= 3, peek(nextNonspace) == details.fenceChar {
                    var i = nextNonspace
                    while i < line.count, line[i] == details.fenceChar { i += 1 }
                    let length = i - nextNonspace
                    while i < line.count, isSpaceOrTab(line[i]) { i += 1 }
                    if length >= details.fenceLength, i == line.count {
                        finalize(container, lineNumber)
                        return .lineConsumed
                    }
                }
                var remaining = details.fenceOffset
                while remaining > 0, let c = peek(offset), isSpaceOrTab(c) {
                    advanceOffset(1, columns: true)
                    remaining -= 1
                }
            } else {
                if indent >= Self.codeIndent {
                    advanceOffset(Self.codeIndent, columns: true)
                } else if blank {
                    advanceNextNonspace()
                } else {
                    return .failed
                }
            }
            return .matched
        case .htmlBlock:
            let type = tree[details: container].htmlBlockType
            return blank && (type == 6 || type == 7) ? .failed : .matched
        case .paragraph:
            return blank ? .failed : .matched
        default:
            return .failed
        }
    }

    private enum StartResult { case none, container, leaf }

    private func tryBlockStarts(_ container: Int) -> StartResult {
        let kind = tree.nodes[container].kind
        let nested = tree.nodes[container].depth >= maximumNesting
        let c = peek(nextNonspace)

        // Block quote.
        if !indented, c == Byte.greaterThan, !nested {
            advanceNextNonspace()
            advanceOffset(1, columns: false)
            if let next = peek(offset), isSpaceOrTab(next) { advanceOffset(1, columns: true) }
            closeUnmatchedBlocks()
            addChild(.blockQuote)
            return .container
        }

        // ATX heading.
        if !indented, c == Byte.hash, let level = atxHeadingLevel() {
            advanceNextNonspace()
            advanceOffset(level, columns: false)
            closeUnmatchedBlocks()
            let heading = addChild(.heading)
            tree.nodes[heading].level = level
            tree.nodes[heading].content = atxHeadingContent(Array(line[min(offset, line.count)...]))
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        // Fenced code block.
        if !indented, c == Byte.backtick || c == Byte.tilde, let fence = c {
            var i = nextNonspace
            while i < line.count, line[i] == fence { i += 1 }
            let length = i - nextNonspace
            if length >= 3, fence == Byte.tilde || !line[i...].contains(Byte.backtick) {
                closeUnmatchedBlocks()
                let block = addChild(.codeBlock)
                let index = tree.detailsIndex(block)
                tree.details[index].isFenced = true
                tree.details[index].fenceLength = length
                tree.details[index].fenceChar = fence
                tree.details[index].fenceOffset = indent
                advanceNextNonspace()
                advanceOffset(length, columns: false)
                return .leaf
            }
        }

        // HTML block.
        if !indented, c == Byte.lessThan {
            let mayBeLazy = !allClosed && !blank && tree.nodes[tip].kind == .paragraph
            let type = htmlBlockStart(
                line, at: nextNonspace, canInterruptParagraph: kind != .paragraph && !mayBeLazy)
            if type > 0 {
                closeUnmatchedBlocks()
                // The indentation belongs to the HTML block: the offset does not move.
                let block = addChild(.htmlBlock)
                tree.details[tree.detailsIndex(block)].htmlBlockType = type
                return .leaf
            }
        }

        // Setext heading underline.
        if !indented, kind == .paragraph, c == Byte.equals || c == Byte.minus, let marker = c,
            isSetextUnderline(marker)
        {
            closeUnmatchedBlocks()
            var content = tree.nodes[container].content
            _ = consumeReferenceDefinitions(&content)
            if !content.isEmpty {
                let heading = tree.make(.heading)
                tree.nodes[heading].level = marker == Byte.equals ? 1 : 2
                tree.nodes[heading].content = content
                tree.nodes[heading].startLine = tree.nodes[container].startLine
                tree.nodes[heading].depth = tree.nodes[container].depth
                tree.insert(heading, after: container)
                tree.unlink(container)
                tip = heading
                advanceOffset(line.count - offset, columns: false)
                return .leaf
            }
            tree.nodes[container].content = content
        }

        // Thematic break.
        if !indented, c == Byte.asterisk || c == Byte.minus || c == Byte.underscore, isThematicBreak() {
            closeUnmatchedBlocks()
            addChild(.thematicBreak)
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        // List item.
        if !indented || kind == .list, !nested, let data = parseListMarker(container) {
            closeUnmatchedBlocks()
            if tree.nodes[tip].kind != .list || !tree[details: tip].list.continues(data) {
                let list = addChild(.list)
                tree.details[tree.detailsIndex(list)].list = data
            }
            let item = addChild(.item)
            tree.details[tree.detailsIndex(item)].list = data
            return .container
        }

        // Indented code block.
        if indented, tree.nodes[tip].kind != .paragraph, !blank {
            advanceOffset(Self.codeIndent, columns: true)
            closeUnmatchedBlocks()
            addChild(.codeBlock)
            return .leaf
        }
        return .none
    }

    /// The level of an ATX heading opening at `nextNonspace`, if the line opens one.
    private func atxHeadingLevel() -> Int? {
        var i = nextNonspace
        while i < line.count, line[i] == Byte.hash { i += 1 }
        let level = i - nextNonspace
        guard level >= 1, level <= 6 else { return nil }
        guard i == line.count || isSpaceOrTab(line[i]) else { return nil }
        return level
    }

    /// The heading text without its optional closing sequence of `#`s.
    private func atxHeadingContent(_ rest: [UInt8]) -> [UInt8] {
        var end = rest.count
        while end > 0, isSpaceOrTab(rest[end - 1]) { end -= 1 }
        var hashes = end
        while hashes > 0, rest[hashes - 1] == Byte.hash { hashes -= 1 }
        if hashes == end { return rest }
        if rest[0..<hashes].allSatisfy(isSpaceOrTab) { return [] }
        if isSpaceOrTab(rest[hashes - 1]) { return Array(rest[0..<hashes]) }
        return rest
    }

    private func isSetextUnderline(_ marker: UInt8) -> Bool {
        var i = nextNonspace
        while i < line.count, line[i] == marker { i += 1 }
        while i < line.count, isSpaceOrTab(line[i]) { i += 1 }
        return i == line.count
    }

    private func isThematicBreak() -> Bool {
        guard let marker = peek(nextNonspace) else { return false }
        var count = 0
        for c in line[nextNonspace...] {
            if c == marker {
                count += 1
            } else if !isSpaceOrTab(c) {
                return false
            }
        }
        return count >= 3
    }

    private func parseListMarker(_ container: Int) -> ListData? {
        guard indent < 4, let c = peek(nextNonspace) else { return nil }
        let interruptsParagraph = tree.nodes[container].kind == .paragraph
        var data = ListData()
        data.markerOffset = indent
        var markerLength = 0
        if c == Byte.asterisk || c == Byte.plus || c == Byte.minus {
            data.bulletChar = c
            markerLength = 1
        } else if isDigit(c) {
            var i = nextNonspace
            var value = 0
            while i < line.count, isDigit(line[i]), i - nextNonspace < 9 {
                value = value * 10 + Int(line[i] - 0x30)
                i += 1
            }
            guard i < line.count, line[i] == Byte.dot || line[i] == Byte.closeParen else { return nil }
            guard !interruptsParagraph || value == 1 else { return nil }
            data.isOrdered = true
            data.start = value
            data.delimiter = line[i]
            markerLength = i - nextNonspace + 1
        } else {
            return nil
        }
        let afterMarker = nextNonspace + markerLength
        if let next = peek(afterMarker), !isSpaceOrTab(next) { return nil }
        if interruptsParagraph, line[afterMarker...].allSatisfy(isSpaceOrTab) { return nil }

        advanceNextNonspace()
        advanceOffset(markerLength, columns: true)
        let spacesStartColumn = column
        let spacesStartOffset = offset
        repeat {
            advanceOffset(1, columns: true)
        } while column - spacesStartColumn < 5 && peek(offset).map(isSpaceOrTab) == true
        let blankItem = peek(offset) == nil
        let spacesAfterMarker = column - spacesStartColumn
        if spacesAfterMarker >= 5 || spacesAfterMarker < 1 || blankItem {
            // Content indented by 5 or more columns is an indented code block inside the item.
            data.padding = markerLength + 1
            column = spacesStartColumn
            offset = spacesStartOffset
            partiallyConsumedTab = false
            if let next = peek(offset), isSpaceOrTab(next) { advanceOffset(1, columns: true) }
        } else {
            data.padding = markerLength + spacesAfterMarker
        }
        return data
    }
}

// MARK: - Link syntax shared by definitions and inline links

func skipSpacesAndTabs(_ s: [UInt8], _ i: Int, _ end: Int) -> Int {
    var i = i
    while i < end, isSpaceOrTab(s[i]) { i += 1 }
    return i
}

/// Skips spaces and tabs with at most one line ending among them.
func skipSpacesAndOneNewline(_ s: [UInt8], _ i: Int, _ end: Int) -> Int {
    var i = skipSpacesAndTabs(s, i, end)
    if i < end, s[i] == Byte.newline { i = skipSpacesAndTabs(s, i + 1, end) }
    return i
}

/// A link label `[...]` at `start`: returns the index after `]`. Labels hold at most 999
/// characters and no unescaped brackets.
func scanLinkLabel(_ s: [UInt8], at start: Int, end: Int) -> Int? {
    guard start < end, s[start] == Byte.openBracket else { return nil }
    var i = start + 1
    var characters = 0
    while i < end {
        let c = s[i]
        if c == Byte.closeBracket { return i + 1 }
        if c == Byte.openBracket { return nil }
        if c == Byte.backslash, i + 1 < end, isASCIIPunctuation(s[i + 1]) {
            i += 1
            characters += 1
        }
        if c & 0xC0 != 0x80 { characters += 1 }
        if characters > maximumLabelLength { return nil }
        i += 1
    }
    return nil
}

/// The deepest parenthesis nesting accepted in a bare destination; bounds the work a
/// pathological run of `(` can cause (the spec allows such a limit).
private let maximumDestinationParentheses = 32

/// A link destination at `start`: `<...>` or a bare destination with balanced parentheses.
/// Returns the unescaped, URL-normalised destination and the index after it.
func scanLinkDestination(_ s: [UInt8], at start: Int, end: Int) -> (url: [UInt8], end: Int, isPointy: Bool)? {
    if start < end, s[start] == Byte.lessThan {
        var i = start + 1
        while i < end {
            let c = s[i]
            if c == Byte.greaterThan {
                return (normalizeURL(unescapeString(s[(start + 1)..<i])), i + 1, true)
            }
            if c == Byte.lessThan || c == Byte.newline { return nil }
            if c == Byte.backslash, i + 1 < end, isASCIIPunctuation(s[i + 1]) { i += 1 }
            i += 1
        }
        return nil
    }
    var i = start
    var depth = 0
    while i < end {
        let c = s[i]
        if c == Byte.backslash, i + 1 < end, isASCIIPunctuation(s[i + 1]) {
            i += 2
        } else if c == Byte.openParen {
            depth += 1
            if depth > maximumDestinationParentheses { return nil }
            i += 1
        } else if c == Byte.closeParen {
            if depth == 0 { break }
            depth -= 1
            i += 1
        } else if c <= Byte.space || c == 0x7F {
            break
        } else {
            i += 1
        }
    }
    guard depth == 0 else { return nil }
    return (normalizeURL(unescapeString(s[start..<i])), i, false)
}

/// A link title at `start`: `"..."`, `'...'` or `(...)`. Returns the unescaped title and the index
/// after it.
func scanLinkTitle(_ s: [UInt8], at start: Int, end: Int) -> (title: [UInt8], end: Int)? {
    guard start < end else { return nil }
    let open = s[start]
    let close: UInt8
    switch open {
    case Byte.quote, Byte.apostrophe: close = open
    case Byte.openParen: close = Byte.closeParen
    default: return nil
    }
    var i = start + 1
    while i < end {
        let c = s[i]
        if c == close { return (unescapeString(s[(start + 1)..<i]), i + 1) }
        if open == Byte.openParen, c == Byte.openParen { return nil }
        if c == Byte.backslash, i + 1 < end { i += 1 }
        i += 1
    }
    return nil
}

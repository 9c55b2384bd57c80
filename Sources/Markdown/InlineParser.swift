/// An entry of the delimiter stack: a run of `*` or `_` that may open or close emphasis.
private struct Delimiter {
    let character: UInt8
    var count: Int
    let originalCount: Int
    let node: Int
    var previous: Int
    var next: Int
    let canOpen: Bool
    let canClose: Bool
}

/// An entry of the bracket stack: a `[` or `![` that may start a link or an image.
private struct Bracket {
    let node: Int
    let previousDelimiter: Int
    /// Index of the `[` in the subject.
    let index: Int
    let isImage: Bool
    var isActive = true
    /// Set when another bracket follows; such a label cannot be a reference (labels hold no
    /// unescaped brackets), which saves a lookup.
    var hasBracketAfter = false
}

/// Phase two: parses the inline content of paragraphs and headings with the spec's
/// delimiter-stack algorithm (section 6.3), including the reference implementations' bounds that
/// keep pathological input (long runs of `*`, `[` or backticks) linear.
final class InlineParser {
    private let tree: Tree
    private let references: [String: LinkReference]
    private var subject: [UInt8] = []
    private var pos = 0
    private var end = 0
    private var delimiters: [Delimiter] = []
    private var topDelimiter = -1
    private var brackets: [Bracket] = []
    private var deactivatedBelow = 0
    private var htmlScanner = InlineHTMLScanner()
    private var scannedAllBackticks = false
    private var lastBacktickRun: [Int: Int] = [:]

    init(tree: Tree, references: [String: LinkReference]) {
        self.tree = tree
        self.references = references
    }

    /// Replaces the raw content of `block` with its inline children.
    func parse(_ block: Int) {
        var content = tree.nodes[block].content
        tree.nodes[block].content = []
        var first = 0
        var last = content.count
        while first < last, isASCIIWhitespace(content[first]) { first += 1 }
        while last > first, isASCIIWhitespace(content[last - 1]) { last -= 1 }
        if first > 0 || last < content.count { content = Array(content[first..<last]) }
        subject = content
        pos = 0
        end = subject.count
        delimiters.removeAll(keepingCapacity: true)
        topDelimiter = -1
        brackets.removeAll(keepingCapacity: true)
        deactivatedBelow = 0
        htmlScanner = InlineHTMLScanner()
        scannedAllBackticks = false
        lastBacktickRun.removeAll(keepingCapacity: true)
        while pos < end {
            parseInline(block)
        }
        processEmphasis(bottom: -1)
    }

    private func appendText<C: Collection>(_ text: C, to block: Int) -> Int where C.Element == UInt8 {
        let node = tree.make(.text, content: Array(text))
        tree.append(node, to: block)
        return node
    }

    private func parseInline(_ block: Int) {
        let c = subject[pos]
        switch c {
        case Byte.newline: parseNewline(block)
        case Byte.backslash: parseBackslash(block)
        case Byte.backtick: parseBackticks(block)
        case Byte.asterisk, Byte.underscore: parseDelimiterRun(c, block)
        case Byte.openBracket:
            let node = appendText([Byte.openBracket], to: block)
            addBracket(node: node, index: pos, isImage: false)
            pos += 1
        case Byte.bang:
            if pos + 1 < end, subject[pos + 1] == Byte.openBracket {
                let node = appendText([Byte.bang, Byte.openBracket], to: block)
                addBracket(node: node, index: pos + 1, isImage: true)
                pos += 2
            } else {
                _ = appendText([Byte.bang], to: block)
                pos += 1
            }
        case Byte.closeBracket: parseCloseBracket(block)
        case Byte.lessThan:
            if !parseAutolink(block), !parseRawHTML(block) {
                _ = appendText([Byte.lessThan], to: block)
                pos += 1
            }
        case Byte.ampersand:
            if let reference = matchCharacterReference(subject, at: pos, end: end) {
                _ = appendText(reference.decoded, to: block)
                pos = reference.end
            } else {
                _ = appendText([Byte.ampersand], to: block)
                pos += 1
            }
        default:
            let start = pos
            pos += 1
            while pos < end, !isInlineSpecial(subject[pos]) { pos += 1 }
            _ = appendText(subject[start..<pos], to: block)
        }
    }

    @inline(__always) private func isInlineSpecial(_ c: UInt8) -> Bool {
        switch c {
        case Byte.newline, Byte.backtick, Byte.openBracket, Byte.closeBracket, Byte.backslash, Byte.bang,
            Byte.lessThan, Byte.ampersand, Byte.asterisk, Byte.underscore:
            return true
        default:
            return false
        }
    }

    private func parseNewline(_ block: Int) {
        pos += 1
        let last = tree.nodes[block].lastChild
        var kind = NodeKind.softBreak
        // Spaces and tabs before a line ending are dropped (as cmark does); two or more spaces
        // make the break hard.
        if last >= 0, tree.nodes[last].kind == .text, let final = tree.nodes[last].content.last,
            isSpaceOrTab(final)
        {
            let content = tree.nodes[last].content
            if content.count >= 2, final == Byte.space, content[content.count - 2] == Byte.space {
                kind = .lineBreak
            }
            var trimmed = content.count
            while trimmed > 0, isSpaceOrTab(content[trimmed - 1]) { trimmed -= 1 }
            tree.nodes[last].content.removeLast(content.count - trimmed)
        }
        tree.append(tree.make(kind), to: block)
        while pos < end, subject[pos] == Byte.space { pos += 1 }
    }

    private func parseBackslash(_ block: Int) {
        pos += 1
        if pos < end, subject[pos] == Byte.newline {
            pos += 1
            tree.append(tree.make(.lineBreak), to: block)
        } else if pos < end, isASCIIPunctuation(subject[pos]) {
            _ = appendText([subject[pos]], to: block)
            pos += 1
        } else {
            _ = appendText([Byte.backslash], to: block)
        }
    }

    // MARK: - Code spans

    private func parseBackticks(_ block: Int) {
        let start = pos
        while pos < end, subject[pos] == Byte.backtick { pos += 1 }
        let length = pos - start
        guard let closing = findClosingBackticks(length: length, from: pos) else {
            _ = appendText(subject[start..<pos], to: block)
            return
        }
        var content = subject[pos..<closing].map { $0 == Byte.newline ? Byte.space : $0 }
        if content.count >= 2, content.first == Byte.space, content.last == Byte.space,
            content.contains(where: { $0 != Byte.space })
        {
            content.removeFirst()
            content.removeLast()
        }
        tree.append(tree.make(.code, content: content), to: block)
        pos = closing + length
    }

    /// The start of the next backtick run of exactly `length` after `from`. Once a scan has reached
    /// the end of the subject, the positions of the last run of every length are known and later
    /// searches that would fail return at once.
    private func findClosingBackticks(length: Int, from: Int) -> Int? {
        if scannedAllBackticks {
            guard let last = lastBacktickRun[length], last >= from else { return nil }
        }
        var i = from
        while i < end {
            if subject[i] == Byte.backtick {
                let runStart = i
                while i < end, subject[i] == Byte.backtick { i += 1 }
                lastBacktickRun[i - runStart] = runStart
                if i - runStart == length { return runStart }
            } else {
                i += 1
            }
        }
        scannedAllBackticks = true
        return nil
    }

    // MARK: - Autolinks and raw HTML

    private func parseAutolink(_ block: Int) -> Bool {
        guard let (text, isEmail, after) = scanAutolink() else { return false }
        let link = tree.make(.link)
        let details = tree.detailsIndex(link)
        // Character references count in autolinks (they are a URL context), backslashes do not.
        let decoded = decodeCharacterReferences(text)
        tree.details[details].destination = normalizeURL((isEmail ? Array("mailto:".utf8) : []) + decoded)
        tree.append(tree.make(.text, content: decoded), to: link)
        tree.append(link, to: block)
        pos = after
        return true
    }

    private func scanAutolink() -> (text: [UInt8], isEmail: Bool, end: Int)? {
        let start = pos + 1
        guard start < end else { return nil }
        // URI autolink: scheme (2–32 characters) ":" then anything but space, control, "<" or ">".
        if isASCIILetter(subject[start]) {
            var i = start + 1
            while i < end, isASCIIAlphanumeric(subject[i]) || subject[i] == Byte.plus || subject[i] == Byte.dot
                || subject[i] == Byte.minus
            {
                i += 1
            }
            let schemeLength = i - start
            if schemeLength >= 2, schemeLength <= 32, i < end, subject[i] == Byte.colon {
                i += 1
                while i < end {
                    let c = subject[i]
                    if c == Byte.greaterThan { return (Array(subject[start..<i]), false, i + 1) }
                    if c <= Byte.space || c == Byte.lessThan || c == 0x7F { break }
                    i += 1
                }
            }
        }
        // Email autolink.
        var i = start
        while i < end, isEmailLocalCharacter(subject[i]) { i += 1 }
        guard i > start, i < end, subject[i] == Byte.at else { return nil }
        i += 1
        while true {
            let labelStart = i
            while i < end, isASCIIAlphanumeric(subject[i]) || subject[i] == Byte.minus { i += 1 }
            let labelLength = i - labelStart
            guard labelLength >= 1, labelLength <= 63, subject[labelStart] != Byte.minus,
                subject[i - 1] != Byte.minus, i < end
            else { return nil }
            if subject[i] == Byte.greaterThan { return (Array(subject[start..<i]), true, i + 1) }
            guard subject[i] == Byte.dot else { return nil }
            i += 1
        }
    }

    private func isEmailLocalCharacter(_ c: UInt8) -> Bool {
        if isASCIIAlphanumeric(c) { return true }
        switch c {
        case Byte.dot, Byte.bang, Byte.hash, 0x24, 0x25, Byte.ampersand, Byte.apostrophe, Byte.asterisk,
            Byte.plus, Byte.slash, Byte.equals, Byte.question, 0x5E, Byte.underscore, Byte.backtick, 0x7B,
            0x7C, 0x7D, Byte.tilde, Byte.minus:
            return true
        default:
            return false
        }
    }

    private func parseRawHTML(_ block: Int) -> Bool {
        guard let after = htmlScanner.scan(subject, at: pos, end: end) else { return false }
        tree.append(tree.make(.htmlInline, content: Array(subject[pos..<after])), to: block)
        pos = after
        return true
    }

    // MARK: - Emphasis

    private func parseDelimiterRun(_ character: UInt8, _ block: Int) {
        let start = pos
        while pos < end, subject[pos] == character { pos += 1 }
        let count = pos - start
        let before = start == 0 ? " " : scalar(in: subject, before: start) ?? " "
        let after = pos >= end ? " " : scalar(in: subject, at: pos) ?? " "
        let afterIsWhitespace = isUnicodeWhitespace(after)
        let afterIsPunctuation = isUnicodePunctuation(after)
        let beforeIsWhitespace = isUnicodeWhitespace(before)
        let beforeIsPunctuation = isUnicodePunctuation(before)
        let leftFlanking =
            !afterIsWhitespace && (!afterIsPunctuation || beforeIsWhitespace || beforeIsPunctuation)
        let rightFlanking =
            !beforeIsWhitespace && (!beforeIsPunctuation || afterIsWhitespace || afterIsPunctuation)
        let canOpen: Bool
        let canClose: Bool
        if character == Byte.underscore {
            canOpen = leftFlanking && (!rightFlanking || beforeIsPunctuation)
            canClose = rightFlanking && (!leftFlanking || afterIsPunctuation)
        } else {
            canOpen = leftFlanking
            canClose = rightFlanking
        }
        let node = appendText(subject[start..<pos], to: block)
        guard canOpen || canClose else { return }
        delimiters.append(
            Delimiter(
                character: character, count: count, originalCount: count, node: node, previous: topDelimiter,
                next: -1, canOpen: canOpen, canClose: canClose))
        let index = delimiters.count - 1
        if topDelimiter >= 0 { delimiters[topDelimiter].next = index }
        topDelimiter = index
    }

    private func removeDelimiter(_ index: Int) {
        let previous = delimiters[index].previous
        let next = delimiters[index].next
        if previous >= 0 { delimiters[previous].next = next }
        if next < 0 {
            topDelimiter = previous
        } else {
            delimiters[next].previous = previous
        }
    }

    /// The spec's "process emphasis" procedure for the delimiters above `bottom`.
    private func processEmphasis(bottom: Int) {
        guard topDelimiter != bottom else { return }
        // Lowest delimiter an opener search may reach, per delimiter character, closer-can-open
        // and length modulo 3: a failed search need not be repeated below the same point.
        // Delimiter indices grow in input order, so they compare like positions, and a bound
        // stays valid even when the delimiter it came from is removed later.
        var lowestOpener = [Int](repeating: bottom + 1, count: 12)
        var closer = topDelimiter
        while closer >= 0, delimiters[closer].previous != bottom {
            closer = delimiters[closer].previous
        }
        while closer >= 0 {
            let current = delimiters[closer]
            guard current.canClose else {
                closer = current.next
                continue
            }
            let bottomIndex =
                (current.character == Byte.underscore ? 0 : 6) + (current.canOpen ? 3 : 0)
                + current.originalCount % 3
            var opener = current.previous
            var found = false
            while opener >= lowestOpener[bottomIndex] {
                let candidate = delimiters[opener]
                let oddMatch =
                    (current.canOpen || candidate.canClose) && current.originalCount % 3 != 0
                    && (candidate.originalCount + current.originalCount) % 3 == 0
                if candidate.character == current.character, candidate.canOpen, !oddMatch {
                    found = true
                    break
                }
                opener = candidate.previous
            }
            guard found else {
                lowestOpener[bottomIndex] = closer
                let unmatched = closer
                closer = current.next
                // A closer that cannot open and found no opener is of no further use.
                if !current.canOpen { removeDelimiter(unmatched) }
                continue
            }
            let used = current.count >= 2 && delimiters[opener].count >= 2 ? 2 : 1
            let openerNode = delimiters[opener].node
            let closerNode = current.node
            delimiters[opener].count -= used
            delimiters[closer].count -= used
            tree.nodes[openerNode].content.removeLast(used)
            tree.nodes[closerNode].content.removeLast(used)
            let emphasis = tree.make(used == 1 ? .emphasis : .strong)
            var node = tree.nodes[openerNode].next
            while node >= 0, node != closerNode {
                let next = tree.nodes[node].next
                tree.unlink(node)
                tree.append(node, to: emphasis)
                node = next
            }
            tree.insert(emphasis, after: openerNode)
            // The delimiters between opener and closer can no longer match anything.
            delimiters[opener].next = closer
            delimiters[closer].previous = opener
            if delimiters[opener].count == 0 {
                tree.unlink(openerNode)
                removeDelimiter(opener)
            }
            if delimiters[closer].count == 0 {
                tree.unlink(closerNode)
                let next = delimiters[closer].next
                removeDelimiter(closer)
                closer = next
            }
        }
        while topDelimiter >= 0, topDelimiter != bottom {
            removeDelimiter(topDelimiter)
        }
    }

    // MARK: - Links and images

    private func addBracket(node: Int, index: Int, isImage: Bool) {
        if !brackets.isEmpty { brackets[brackets.count - 1].hasBracketAfter = true }
        brackets.append(Bracket(node: node, previousDelimiter: topDelimiter, index: index, isImage: isImage))
    }

    private func popBracket() {
        brackets.removeLast()
        deactivatedBelow = min(deactivatedBelow, brackets.count)
    }

    private func parseCloseBracket(_ block: Int) {
        let closeIndex = pos
        pos += 1
        let afterBracket = pos
        guard let opener = brackets.last else {
            _ = appendText([Byte.closeBracket], to: block)
            return
        }
        guard opener.isActive else {
            _ = appendText([Byte.closeBracket], to: block)
            popBracket()
            return
        }

        var destination: [UInt8] = []
        var title: [UInt8] = []
        var matched = false

        // Inline link: ( destination "title" )
        if pos < end, subject[pos] == Byte.openParen {
            var i = skipSpacesAndOneNewline(subject, pos + 1, end)
            if let scanned = scanLinkDestination(subject, at: i, end: end) {
                i = scanned.end
                let beforeTitle = i
                i = skipSpacesAndOneNewline(subject, i, end)
                var scannedTitle: [UInt8] = []
                if i > beforeTitle, let found = scanLinkTitle(subject, at: i, end: end) {
                    scannedTitle = found.title
                    i = skipSpacesAndOneNewline(subject, found.end, end)
                }
                if i < end, subject[i] == Byte.closeParen {
                    destination = scanned.url
                    title = scannedTitle
                    matched = true
                    pos = i + 1
                }
            }
        }

        // Reference link: full [text][label], collapsed [text][] or shortcut [text].
        if !matched {
            var label: ArraySlice<UInt8>?
            if let labelEnd = scanLinkLabel(subject, at: pos, end: end) {
                if labelEnd - pos > 2 {
                    label = subject[(pos + 1)..<(labelEnd - 1)]
                } else if !opener.hasBracketAfter {
                    label = subject[(opener.index + 1)..<closeIndex]
                }
                pos = labelEnd
            } else if !opener.hasBracketAfter {
                label = subject[(opener.index + 1)..<closeIndex]
            }
            if let label, !references.isEmpty, let key = normalizeLabel(label),
                let reference = references[key]
            {
                destination = reference.destination
                title = reference.title
                matched = true
            }
        }

        guard matched else {
            popBracket()
            pos = afterBracket
            _ = appendText([Byte.closeBracket], to: block)
            return
        }

        let link = tree.make(opener.isImage ? .image : .link)
        let details = tree.detailsIndex(link)
        tree.details[details].destination = destination
        tree.details[details].title = title
        var node = tree.nodes[opener.node].next
        while node >= 0 {
            let next = tree.nodes[node].next
            tree.unlink(node)
            tree.append(node, to: link)
            node = next
        }
        tree.append(link, to: block)
        processEmphasis(bottom: opener.previousDelimiter)
        popBracket()
        tree.unlink(opener.node)
        // Links cannot contain links: earlier link openers become inactive (image openers stay
        // active, as images may contain links). Openers below `deactivatedBelow` were handled by an
        // earlier link, so each opener is visited once however many links follow.
        if !opener.isImage {
            var index = brackets.count - 1
            while index >= deactivatedBelow {
                if !brackets[index].isImage { brackets[index].isActive = false }
                index -= 1
            }
            deactivatedBelow = brackets.count
        }
    }
}

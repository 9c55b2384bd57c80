/// RFC 4180 CSV with a guard against formula injection: a cell that a spreadsheet would run as
/// a formula (starting with =, +, -, @, tab or carriage return) is prefixed with a single quote.
///
/// ```swift
/// CSV.document([["Title", "Hours"], ["=HYPERLINK(\"x\")", "1.5"]])
/// // "Title,Hours\r\n\"'=HYPERLINK(\"\"x\"\")\",1.5\r\n"
/// ```
public enum CSV {
    /// One cell, neutralised and quoted when it needs to be.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.contains {
            $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n"
        }
        if needsQuotes { return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return text
    }

    /// Rows joined with CRLF, every record (including the last) ended by CRLF.
    public static func document(_ rows: [[String]]) -> String {
        rows.map { row in row.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }
}

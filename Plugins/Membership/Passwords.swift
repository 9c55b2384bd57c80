import CCrypt
import Foundation
import Kernel

/// Password hashing with yescrypt through the system's libcrypt (the hash Debian uses for
/// /etc/shadow). Hashing is deliberately slow, so it runs on the worker pool and at most
/// `concurrency` hashes run at once.
///
/// ```swift
/// let hash = try Passwords.hash("correct horse battery")
/// Passwords.verify("correct horse battery", against: hash)   // true
/// ```
public enum Passwords {
    /// Hash prefixes we accept when verifying: yescrypt only. A stored hash of any other kind
    /// (DES, MD5, a malformed string) never verifies.
    public static let acceptedPrefixes = ["$y$"]
    public static let minimumLength = 10
    public static let maximumLength = 1024
    private static let slots = DispatchSemaphore(value: max(1, ProcessInfo.processInfo.activeProcessorCount))

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooShort, tooLong, tooCommon, tooSimple, sameAsIdentity
        public var description: String {
            switch self {
            case .tooShort: return "Use at least \(Passwords.minimumLength) characters."
            case .tooLong: return "Use at most \(Passwords.maximumLength) characters."
            case .tooCommon: return "That password is one of the most common passwords. Choose another."
            case .tooSimple:
                return
                    "That password follows a simple pattern (like aaaa…, abcabc… or 12345…), which is guessed first. Choose another: a short sentence works well."
            case .sameAsIdentity: return "Do not use your email address or handle as your password."
            }
        }
    }

    /// Checks the rules a new password must meet.
    public static func problem(with password: String, identity: [String] = []) -> Problem? {
        if password.count < minimumLength { return .tooShort }
        if password.utf8.count > maximumLength { return .tooLong }
        let lowered = password.lowercased()
        if CommonPasswords.list.contains(lowered) { return .tooCommon }
        if isSimplePattern(lowered) { return .tooSimple }
        if identity.contains(where: { !$0.isEmpty && $0.lowercased() == lowered }) { return .sameAsIdentity }
        return nil
    }

    /// Patterns guessers try before any word list, which length alone does not exclude:
    /// fewer than five different characters (`aaaaaaaaaaaa`, `aaaaabbbbb`), a repeated unit
    /// (`abcabcabcabc`, `passpasspass`), or a run with one step (`abcdefghijk`, `9876543210`).
    /// Ten characters of these carry a few bits of entropy, not the ~40 the minimum length
    /// is meant to buy (NIST SP 800-63B §5.1.1.2 asks to refuse "repetitive or sequential").
    static func isSimplePattern(_ password: String) -> Bool {
        let scalars = Array(password.unicodeScalars)
        if Set(scalars).count < 5 { return true }
        let count = scalars.count
        for period in 1...max(1, count / 2)
        where (period..<count).allSatisfy({ scalars[$0] == scalars[$0 - period] }) {
            return true
        }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int($1.value) - Int($0.value) })
        return steps == [1] || steps == [-1]
    }

    public struct HashingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new yescrypt hash with a fresh salt.
    public static func hash(_ password: String) throws -> String {
        slots.wait()
        defer { slots.signal() }
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$y$", 0, nil, 0, &setting, Int32(setting.count)) != nil else {
            throw HashingError(description: "crypt_gensalt_rn failed: errno \(errno)")
        }
        return try run(password, setting: setting)
    }

    /// True when `password` matches the stored hash. Constant-time comparison.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard acceptedPrefixes.contains(where: stored.hasPrefix), password.utf8.count <= maximumLength else {
            return false
        }
        slots.wait()
        defer { slots.signal() }
        guard let computed = try? run(password, setting: Array(stored.utf8CString)) else { return false }
        return RandomToken.constantTimeEquals(computed, stored)
    }

    private static func run(_ password: String, setting: [CChar]) throws -> String {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(
            byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        defer {
            memset(data, 0, size)
            data.deallocate()
        }
        memset(data, 0, size)
        let result = password.withCString { phrase in
            setting.withUnsafeBufferPointer { settingBuffer in
                crypt_rn(phrase, settingBuffer.baseAddress, data, Int32(size))
            }
        }
        guard let result else { throw HashingError(description: "crypt_rn failed: errno \(errno)") }
        let text = String(cString: result)
        // libcrypt signals failure with a string starting with "*".
        guard !text.hasPrefix("*") else { throw HashingError(description: "crypt_rn rejected the setting") }
        return text
    }
}

import Foundation

/// One value of a policy file with the key path that leads to it (`departments[2].alias`), so
/// that every complaint names the file and the key at fault.
///
/// The module that owns a section of the policy (`report:` Reports, `relay:` Relay, …) reads
/// it through these accessors, each of which throws a `CensusError` naming the key path.
public struct PolicyValue {
    /// The value as YAML gave it (a mapping, a list, a scalar).
    public let value: Any
    /// The policy file's path.
    public let file: String
    /// The key path from the root; empty for the root itself.
    public let path: String

    init(value: Any, file: String, path: String) {
        self.value = value
        self.file = file
        self.path = path
    }

    /// The error of this value: `FILE: PATH: message`.
    public func failure(_ message: String) -> CensusError {
        CensusError(.policyInvalid, location: path.isEmpty ? file : "\(file): \(path)", message)
    }

    public func child(_ key: String, _ value: Any) -> PolicyValue {
        PolicyValue(value: value, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// A mapping whose keys must all be among `known` (key → what it is, for the error text).
    public func mapping(known: [String: String]) throws(CensusError) -> [String: PolicyValue] {
        guard let mapping = value as? [String: Any] else {
            throw failure("must be a mapping of keys to values")
        }
        var result: [String: PolicyValue] = [:]
        for key in mapping.keys.sorted() {
            guard known[key] != nil else {
                throw child(key, mapping[key]!).failure(
                    "unknown key; known keys are \(known.keys.sorted().joined(separator: ", "))")
            }
            result[key] = child(key, mapping[key]!)
        }
        return result
    }

    /// A mapping with keys of HR's choosing (positions, addresses).
    public func freeMapping() throws(CensusError) -> [(key: String, value: PolicyValue)] {
        guard let mapping = value as? [String: Any] else { throw failure("must be a mapping") }
        return mapping.keys.sorted().map { (key: $0, value: child($0, mapping[$0]!)) }
    }

    public func list() throws(CensusError) -> [PolicyValue] {
        guard let list = value as? [Any] else { throw failure("must be a list") }
        return list.enumerated().map { index, item in
            PolicyValue(value: item, file: file, path: "\(path)[\(index)]")
        }
    }

    public func string(_ what: String) throws(CensusError) -> String {
        if let text = value as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            return text.trimmingCharacters(in: .whitespaces)
        }
        if value is Int || value is Double { return "\(value)" }
        throw failure("must be \(what)")
    }

    public func bool() throws(CensusError) -> Bool {
        guard let flag = value as? Bool else { throw failure("must be true or false") }
        return flag
    }

    public func domain() throws(CensusError) -> String {
        let text = try string("a domain name")
        guard Policy.isDomain(text) else { throw failure("is not a domain name: \(ErrorText.oneLine(text))") }
        return text.lowercased()
    }

    public func address() throws(CensusError) -> String {
        let text = try string("a mail address").lowercased()
        guard MailAddress.isValid(text) else {
            throw failure("is not a mail address (name@domain, plain ASCII): \"\(ErrorText.oneLine(text))\"")
        }
        return text
    }

    /// A string on one line: no CR, LF, NUL or other control character (it goes into a mail
    /// header or an SMTP command).
    public func line(_ what: String) throws(CensusError) -> String {
        let text = try string(what)
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw failure("must be \(what) on one line, not \"\(ErrorText.oneLine(text))\"")
        }
        return text
    }

    /// A sender, `Name <address>` or a bare address, on one line with a valid address.
    public func sender(_ what: String) throws(CensusError) -> String {
        let text = try line(what)
        var address = Substring(text)
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            address = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        guard MailAddress.isValid(String(address)) else {
            throw failure("must be \(what), with a plain address (name@domain), not \"\(ErrorText.oneLine(text))\"")
        }
        return text
    }

    /// A list of at least one domain.
    public func domains() throws(CensusError) -> [String] {
        let items = try list()
        guard !items.isEmpty else { throw failure("must list at least one domain") }
        var result: [String] = []
        for item in items { result.append(try item.domain()) }
        return result
    }

    public func addresses() throws(CensusError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.address()) }
        return result
    }

    /// A whole number within `range`.
    public func count(in range: ClosedRange<Int>) throws(CensusError) -> Int {
        guard let number = Int(try string("a whole number")), range.contains(number) else {
            throw failure("must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A number of days: `30`, `30d`, `4w`.
    public func days() throws(CensusError) -> Int {
        guard let days = Policy.days(try string("a number of days")), days > 0 else {
            throw failure("must be a number of days, like \"30d\" or \"4w\"")
        }
        return days
    }

    /// A file path; a relative one is taken from the policy's folder.
    public func path(relativeTo directory: String) throws(CensusError) -> String {
        let text = try string("a file path")
        guard !text.hasPrefix("/"), !directory.isEmpty else { return text }
        // `Policies/../Logs/x` → `Logs/x`: `.` and `..` folded away.
        var parts: [Substring] = []
        for part in ((directory as NSString).appendingPathComponent(text)).split(separator: "/") {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part != "." {
                parts.append(part)
            }
        }
        return (directory.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}

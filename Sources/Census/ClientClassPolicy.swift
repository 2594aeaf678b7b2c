import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The policy's `webmail_hosts` and `client_classes`, read into a `ClientClassTable`.
extension ClientClassTable {
    /// The keys of one `client_classes` rule.
    static let ruleKeys: [String: String] = [
        "name": "the client's name in IMAP's ID; a trailing * matches names that begin with the rest",
        "os": "the beginning of the system the client names (os), like iOS",
        "class": "webmail, desktop, phone or other",
    ]

    /// The classes a rule may give a client that named itself: pop3 is a protocol, unknown a
    /// client that named nothing.
    static let ruleClasses: [ClientClass] = [.webmail, .desktop, .phone, .other]

    /// The longest client name a rule may give: Dovecot's ID values are cut to 200 characters
    /// before they are stored.
    static let maximumRuleName = 200

    /// Reads the policy's `client_classes`: a list of `{name: "Foo Mail*", os: iOS, class: phone}`.
    ///
    /// - Throws: `CensusError` naming the key path at fault (`client_classes[2].class`).
    static func rules(_ value: PolicyValue) throws(CensusError) -> [Rule] {
        var result: [Rule] = []
        for item in try value.list() {
            let fields = try item.mapping(known: ruleKeys)
            guard let nameValue = fields["name"] else { throw item.failure("needs a name (the client's name in ID)") }
            let name = try nameValue.line("a client name")
            guard name.count <= maximumRuleName else {
                throw nameValue.failure("is longer than \(maximumRuleName) characters, which no stored name is")
            }
            guard let classValue = fields["class"] else {
                throw item.failure("needs a class (webmail, desktop, phone or other)")
            }
            let text = try classValue.string("a client class")
            guard let clientClass = ClientClass(rawValue: text.lowercased()), ruleClasses.contains(clientClass) else {
                throw classValue.failure("must be webmail, desktop, phone or other, not \"\(ErrorText.oneLine(text))\"")
            }
            let os = try fields["os"]?.line("the beginning of a system name, like iOS")
            result.append(Rule(name: name, os: os, clientClass: clientClass))
        }
        return result
    }

    /// `text` as an IP address the way Dovecot writes `rip=` (IPv4 dotted, IPv6 compressed and
    /// lower case); nil when it is not one.
    public static func canonicalIP(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64, trimmed.allSatisfy({ $0.isASCII }) else { return nil }
        let family = trimmed.contains(":") ? AF_INET6 : AF_INET
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(family, trimmed, &bytes) == 1 else { return nil }
        var buffer = [CChar](repeating: 0, count: 64)
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What kind of mailbox an address is, by its domain.
public enum AddressClass: String, Sendable, CaseIterable, Codable {
    /// In one of the policy's official domains or their subdomains.
    case official
    /// In the policy's list of public webmail domains.
    case webmail
    /// Anything else.
    case other
}

/// Sorts addresses into official, webmail and other by the policy's domain lists.
public struct AddressClassifier: Sendable {
    private let official: [String]
    private let webmailExact: Set<String>
    private let webmailSuffixes: [String]

    public init(policy: Policy) {
        official = policy.officialDomains
        webmailExact = Set(policy.webmailDomains.filter { !$0.hasPrefix("*.") })
        webmailSuffixes = policy.webmailDomains.filter { $0.hasPrefix("*.") }.map { String($0.dropFirst(1)) }
    }

    /// The class of `address` (expected in lower case).
    public func classify(_ address: String) -> AddressClass {
        guard let at = address.lastIndex(of: "@") else { return .other }
        let domain = address[address.index(after: at)...]
        for entry in official
        where domain == entry || (domain.hasSuffix(entry) && domain.dropLast(entry.count).hasSuffix(".")) {
            return .official
        }
        if webmailExact.contains(String(domain)) { return .webmail }
        for suffix in webmailSuffixes where domain.hasSuffix(suffix) { return .webmail }
        return .other
    }
}

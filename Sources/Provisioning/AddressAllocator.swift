public import Census

/// Gives each person an official address by the naming rule, avoiding every address already
/// taken on the server (accounts and aliases): on a collision the rule's number is appended,
/// `annv2`, `annv3`, ….
///
/// The same person always gets the same address: one already given (by employee id) is kept,
/// and new people are served in employee-id order, so two runs over the same roster and server
/// agree.
public struct AddressAllocator: Sendable {
    public let template: AddressTemplate
    public let domain: String
    /// Addresses taken on the server, in lower case.
    public private(set) var taken: Set<String>
    /// Addresses given so far, by employee id.
    public private(set) var assigned: [String: String]

    public init(template: AddressTemplate, domain: String, taken: Set<String>, assigned: [String: String] = [:]) {
        self.template = template
        self.domain = domain.lowercased()
        self.taken = Set(taken.map { $0.lowercased() })
        self.assigned = assigned
        self.taken.formUnion(assigned.values.map { $0.lowercased() })
    }

    /// The address of one person.
    public mutating func address(employeeID: String, name: VietnameseName) -> String {
        if let existing = assigned[employeeID] { return existing }
        let base = template.localPart(for: name)
        var candidate = "\(base)@\(domain)"
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(base)\(number)@\(domain)"
            number += 1
        }
        taken.insert(candidate)
        assigned[employeeID] = candidate
        return candidate
    }

    /// Addresses for many people at once, in employee-id order; people whose name has no
    /// letters get none.
    public mutating func addresses(for people: [(employeeID: String, fullName: String)]) -> [String: String] {
        var result: [String: String] = [:]
        for person in people.sorted(by: { $0.employeeID < $1.employeeID }) {
            guard let name = VietnameseName(person.fullName) else { continue }
            result[person.employeeID] = address(employeeID: person.employeeID, name: name)
        }
        return result
    }
}

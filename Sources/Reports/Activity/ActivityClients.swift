import Basics
public import Census

/// `activity`'s logins by client class: per address, from the store's `ClientData` with the
/// client census's counting rule (`ClientCensus`: a webmail login counted once where the
/// webmail's own log is there), and the evidence the days held.
public struct ActivityClients: Sendable {
    /// Each address's use, by its address (lower case).
    public var usage: [String: ClientUsage]
    public var evidence: ClientEvidenceSummary

    /// - Parameters:
    ///   - data: the store's client data for the days `activity` covers;
    ///   - table: the policy's `clientClasses` (`ClientClassTable.standard` without a policy);
    ///   - days: those days; nil: every day of `data`.
    public init(data: ClientData, table: ClientClassTable, days: DayRange?, utcOffset: Int) {
        let span =
            days
            ?? {
                let all = data.logins.map { Int($0.day) } + data.evidence.keys.map { Int($0) }
                return DayRange(from: all.min() ?? 0, through: all.max() ?? -1)
            }()
        let census = ClientCensus(data: data, table: table)
        usage = census.usageByAddress(over: span)
        evidence = census.evidence(over: span, utcOffset: utcOffset)
    }

    /// The logins of `clientClass` by `address`; nil when the evidence cannot show the class.
    public func logins(_ address: String, _ clientClass: ClientClass) -> Int? {
        logins(of: usage[address.lowercased()], clientClass)
    }

    private func logins(of use: ClientUsage?, _ clientClass: ClientClass) -> Int? {
        guard evidence.measures(clientClass) else { return nil }
        return use?.logins(clientClass) ?? 0
    }

    /// Appends `{"webmail": 1, …}` to `json`, or `null` without any client evidence.
    func json(_ address: String, into json: inout ByteText) {
        guard evidence.isMeasured else {
            json.append("null")
            return
        }
        let use = usage[address.lowercased()]
        json.append("{")
        for (position, clientClass) in ClientClass.allCases.enumerated() {
            if position > 0 { json.append(", ") }
            json.append("\"")
            json.append(clientClass.rawValue)
            json.append("\": ")
            if let logins = logins(of: use, clientClass) { json.append(logins) } else { json.append("null") }
        }
        json.append("}")
    }

    func cells(_ address: String) -> [String] {
        let use = usage[address.lowercased()]
        return ClientClass.allCases.map { logins(of: use, $0).map(String.init) ?? "" }
    }

    /// `{"days": 3, …, "missing": ["no_client_ids"]}`, as in the report's JSON.
    var evidenceJSON: String {
        var json = JSONWriter()
        CensusJSON.clientEvidence(&json, evidence, key: nil)
        return json.text
    }
}

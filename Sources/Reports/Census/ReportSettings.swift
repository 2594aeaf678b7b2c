public import Census

/// How reports are made and where they go: `report:` in the policy, read once, typed.
public struct ReportSettings: Sendable, Equatable {
    public var language = ReportLanguage.vi
    /// What `nightly` renders, in the policy's order.
    public var formats = ReportFormat.allCases
    /// Where `nightly` writes its dated folders; nil: `reports` in the current directory.
    public var folder: String?
    public var trendWeeks = 8
    /// Leave names, addresses and groups under `minimumGroup` out (for published reports).
    public var privacy = false
    public var minimumGroup = 5
    /// Start the CSV files `nightly` writes (the report's, the candidates) with the UTF-8
    /// byte-order mark, so that Excel on Windows reads their Vietnamese right; false for scripts.
    public var csvByteOrderMark = true
    /// Who receives the province summary.
    public var leadership: [String] = []

    public init() {}

    static let keys: [String: String] = [
        "language": "vi or en",
        "formats": "a list of html, csv, json, md",
        "folder": "the folder of the nightly reports",
        "trend_weeks": "a number of weeks",
        "privacy": "true or false",
        "minimum_group": "a number of people",
        "csv_bom": "true or false",
        "leadership": "the addresses that receive the province summary",
    ]

    /// The policy's `report:` section; the defaults when it has none.
    ///
    /// - Parameters:
    ///   - section: the section's value.
    ///   - directory: the folder a relative `folder` is read from.
    /// - Throws: `CensusError` naming the key path at fault (`policy.yaml: report.formats[1]`).
    public init(section: PolicyValue?, directory: String) throws(CensusError) {
        guard let section else { return }
        let fields = try section.mapping(known: Self.keys)
        if let value = fields["language"] {
            guard let language = ReportLanguage(rawValue: try value.string(Self.keys["language"]!).lowercased())
            else { throw value.failure("must be vi or en") }
            self.language = language
        }
        if let value = fields["formats"] {
            var formats: [ReportFormat] = []
            for item in try value.list() {
                guard let format = ReportFormat(rawValue: try item.string("a report format").lowercased()) else {
                    throw item.failure("must be html, csv, json or md")
                }
                formats.append(format)
            }
            self.formats = formats
        }
        if let folder = fields["folder"] { self.folder = try folder.path(relativeTo: directory) }
        if let weeks = fields["trend_weeks"] { trendWeeks = try weeks.count(in: 0...104) }
        if let privacy = fields["privacy"] { self.privacy = try privacy.bool() }
        if let group = fields["minimum_group"] { minimumGroup = try group.count(in: 1...1000) }
        if let mark = fields["csv_bom"] { csvByteOrderMark = try mark.bool() }
        if let leadership = fields["leadership"] { self.leadership = try leadership.addresses() }
    }

    /// The settings of a policy document: its `report:` section.
    public init(document: PolicyDocument) throws(CensusError) {
        try self.init(section: document["report"], directory: document.directory)
    }
}

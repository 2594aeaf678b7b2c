public import ArgumentParser
import Census
import Reports

/// A period length argument: `30d`, `4w`, `30`.
struct PeriodArgument: ExpressibleByArgument {
    let days: Int

    init?(argument: String) {
        guard let days = Policy.days(argument), days > 0, days <= 3660 else { return nil }
        self.days = days
    }
}

/// `report --format`.
extension ReportFormat: ExpressibleByArgument {}

/// `--lang`.
extension ReportLanguage: ExpressibleByArgument {}

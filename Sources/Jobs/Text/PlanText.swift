import Census
import Provisioning
import Reports

extension ProvisionPlanJob.Result {
    /// The plan's counts, a line for each change, and its warnings.
    public var text: String {
        var lines = [
            "Plan for \(server) (\(domain), \(plan.accountCount) accounts): \(plan.creates.count) to create, "
                + (plan.resets.isEmpty ? "" : "\(plan.resets.count) to get a new initial password, ")
                + "\(plan.updates.count) to update"
                + (plan.updates.contains(where: \.isRename)
                    ? " (\(plan.updates.filter(\.isRename).count) renamed), " : ", ")
                + (plan.lists.isEmpty ? "" : "\(plan.lists.count) department list(s) to change, ")
                + "\(plan.disables.count) to disable."
        ]
        for item in plan.creates {
            let quota = item.quotaMB.map { ", quota \($0) MB" } ?? ""
            lines.append(
                "  create  \(item.address)  \(item.employeeID) \(item.lastName) \(item.firstName)\(quota): \(item.reason)"
            )
        }
        for item in plan.resets {
            lines.append("  reset   \(item.address)  \(item.employeeID): \(item.reason)")
        }
        for item in plan.updates {
            let verb = item.isRename ? "rename " : "update "
            lines.append("  \(verb) \(item.address)  \(item.employeeID): \(item.reasons.joined(separator: "; "))")
        }
        for item in plan.lists {
            var change = item.aliasID == nil ? "create with \(item.recipients.count) staff" : "change"
            if item.aliasID != nil && !item.added.isEmpty {
                change += "; add \(item.added.joined(separator: ", "))"
            }
            if !item.removed.isEmpty { change += "; take off \(item.removed.joined(separator: ", "))" }
            lines.append("  list    \(item.address)  department \(item.department): \(change)")
        }
        for item in plan.disables {
            lines.append("  disable \(item.address)  \(item.employeeID): \(item.reason)")
        }
        for item in plan.refused {
            lines.append("  refuse  \(ErrorText.oneLine(item.address))  \(item.employeeID): \(item.reason)")
        }
        if plan.isPartialRoster {
            lines.append(
                "Warning: the roster has \(plan.rosterSize) rows but the server \(plan.activeAccounts) active "
                    + "accounts (a partial file?); apply will refuse without --allow-partial-roster.")
        }
        if plan.exceedsRemovalLimit {
            lines.append(
                "Warning: \(plan.absentRemovals.count) people missing from the roster (neither left nor moved) "
                    + "would be taken off department lists, more than the policy's limit of \(plan.disableLimit); "
                    + "apply will refuse without --allow-mass-removal.")
        }
        if plan.exceedsDisableLimit {
            lines.append(
                "Warning: \(plan.disables.count) disables exceed the policy's limit of \(plan.disableLimit); "
                    + "apply will refuse without --allow-mass-disable.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plan as `provision plan --format json` prints it.
    public var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.value("server", server)
        json.value("domain", domain)
        json.value("accounts", plan.accountCount)
        json.value("active_accounts", plan.activeAccounts)
        json.value("roster_rows", plan.rosterSize)
        json.value("partial_roster", plan.isPartialRoster)
        json.value("disable_limit", plan.disableLimit)
        json.value("exceeds_disable_limit", plan.exceedsDisableLimit)
        json.value("absent_removals", plan.absentRemovals.count)
        json.value("exceeds_removal_limit", plan.exceedsRemovalLimit)
        json.beginArray("create")
        for item in plan.creates {
            json.beginObject()
            json.value("employee_id", item.employeeID)
            json.value("address", item.address)
            json.value("first_name", item.firstName)
            json.value("last_name", item.lastName)
            if let quota = item.quotaMB { json.value("quota_mb", quota) }
            json.value("reason", item.reason)
            json.endObject()
        }
        json.endArray()
        /// An array of (employee, address, reason) entries.
        func entries(_ key: String, _ items: [(employeeID: String, address: String, reason: String)]) {
            json.beginArray(key)
            for item in items {
                json.beginObject()
                json.value("employee_id", item.employeeID)
                json.value("address", item.address)
                json.value("reason", item.reason)
                json.endObject()
            }
            json.endArray()
        }
        entries("reset_password", plan.resets.map { ($0.employeeID, $0.address, $0.reason) })
        json.beginArray("update")
        for item in plan.updates {
            json.beginObject()
            json.value("employee_id", item.employeeID)
            json.value("address", item.address)
            json.value("rename", item.isRename)
            json.beginArray("reasons")
            for reason in item.reasons { json.value(nil, reason) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.beginArray("lists")
        for item in plan.lists {
            json.beginObject()
            json.value("department", item.department)
            json.value("address", item.address)
            json.value("create", item.aliasID == nil)
            for (key, addresses) in [
                ("recipients", item.recipients), ("add", item.added), ("remove", item.removed),
            ] {
                json.beginArray(key)
                for address in addresses { json.value(nil, address) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        entries("refused", plan.refused.map { ($0.employeeID, $0.address, $0.reason) })
        entries("disable", plan.disables.map { ($0.employeeID, $0.address, $0.reason) })
        json.endObject()
        return json.text + "\n"
    }
}

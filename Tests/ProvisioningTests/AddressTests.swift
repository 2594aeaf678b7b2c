import Census
import Foundation
import Provisioning
import Testing

@Suite("Official addresses from the naming rule")
struct AddressTests {
    @Test(
        "templates over real names",
        arguments: [
            ("{given}{initials}", "Nguyễn Văn An", "annv"),
            ("{family}{middle}{given}", "Nguyễn Văn An", "nguyenvanan"),
            ("{given}.{family}", "Nguyễn Văn An", "an.nguyen"),
            ("{given}{initials}", "Đặng Thị Đào", "daodt"),
            ("{given}{initials}", "Nguyễn Thị Ánh Nguyệt", "nguyetnta"),
            ("{given}.{family}", "Trương Thị Hường", "huong.truong"),
            ("{family_initial}{given}", "Lê Văn Thưởng", "lthuong"),
            ("{given}{initials}", "Lan", "lan"),
        ])
    func templates(_ rule: String, _ fullName: String, _ local: String) throws {
        let template = try AddressTemplate(rule)
        let name = try #require(VietnameseName(fullName))
        #expect(template.localPart(for: name) == local)
        let nfd = try #require(VietnameseName(fullName.decomposedStringWithCanonicalMapping))
        #expect(template.localPart(for: nfd) == local)
    }

    @Test("bad rules are refused with the reason", arguments: ["{given", "{surname}{given}", "{given}+x", "static"])
    func badTemplates(_ rule: String) {
        #expect(throws: AddressTemplate.InvalidTemplate.self) { try AddressTemplate(rule) }
    }

    @Test("collisions take the next number; the same person keeps the same address")
    func collisions() throws {
        let template = try AddressTemplate("{given}{initials}")
        var allocator = AddressAllocator(
            template: template, domain: "namdinh.gov.vn", taken: ["annv@namdinh.gov.vn", "ANNV3@namdinh.gov.vn"])
        let people = [
            (employeeID: "E003", fullName: "Nguyễn Văn An"), (employeeID: "E001", fullName: "Nông Văn An"),
            (employeeID: "E002", fullName: "Ngô Việt An"), (employeeID: "E004", fullName: "Đặng Thị Đào"),
        ]
        let first = allocator.addresses(for: people)
        // Served in employee-id order: E001 annv2, E002 annv4 (annv3 is taken), E003 annv5.
        #expect(first["E001"] == "annv2@namdinh.gov.vn")
        #expect(first["E002"] == "annv4@namdinh.gov.vn")
        #expect(first["E003"] == "annv5@namdinh.gov.vn")
        #expect(first["E004"] == "daodt@namdinh.gov.vn")
        // A later run that knows what was given changes nothing, whatever the roster's order.
        var again = AddressAllocator(
            template: template, domain: "namdinh.gov.vn", taken: allocator.taken, assigned: allocator.assigned)
        #expect(again.addresses(for: people.reversed()) == first)
        // A new colleague with the same initials gets the next free number.
        #expect(
            again.address(employeeID: "E005", name: try #require(VietnameseName("Nguyễn Văn Ân")))
                == "annv6@namdinh.gov.vn")
    }
}

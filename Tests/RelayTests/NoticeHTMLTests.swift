import Foundation
import Reports
import Testing

@testable import Relay

@Suite("A notice's HTML body")
struct NoticeHTMLTests {
    @Test("the template's text and the table's figures are escaped; lines become breaks, paragraphs stay in order")
    func escaped() {
        let body = "Kính gửi <b>Anh</b> & \"chị\",\nxin xem.\n\nĐoạn hai.\n\nĐoạn <ba>."
        let html = NoticeContext.html(body, table: [("Đơn vị <x>", "50,0% & 'y'")], language: .vi)
        #expect(html.contains("<p>Kính gửi &lt;b&gt;Anh&lt;/b&gt; &amp; &quot;chị&quot;,<br>\nxin xem.</p>"), "\(html)")
        #expect(html.contains(">Đơn vị &lt;x&gt;</th>"), "\(html)")
        #expect(html.contains("<b>50,0% &amp; &#39;y&#39;</b>"), "\(html)")
        #expect(html.contains("<p>Đoạn &lt;ba&gt;.</p>"), "\(html)")
        #expect(!html.contains("<ba>") && !html.contains("<x>"))
        let second = html.range(of: "Đoạn hai")!.lowerBound
        let table = html.range(of: "<table")!.lowerBound
        #expect(second < table, "the table comes after the first two paragraphs")
    }
}

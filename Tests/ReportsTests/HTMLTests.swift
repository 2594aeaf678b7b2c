import Reports
import Testing

/// Text interpolated into `HTML` is escaped; fragments are inserted once, as they are.
@Suite("HTML: data escaped unless marked as markup")
struct HTMLTests {
    static let hostile = "<script>alert(\"x\")</script> it's A&B \u{202E}gnp.exe"
    static let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s A&amp;B \u{202E}gnp.exe"

    @Test("a string interpolated into HTML comes out escaped, in an element and in an attribute")
    func escapesText() {
        let name = Self.hostile
        let html: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(html.markup == "<td title=\"\(Self.escaped)\">\(Self.escaped)</td>")
        #expect(HTML(text: name).markup == Self.escaped)
    }

    @Test("data is escaped and isolated, so that a bidi override cannot reorder the text around it")
    func isolatesData() {
        let name = Self.hostile
        let html: HTML = "<li>\(data: name) (3)</li>"
        #expect(html.markup == "<li><bdi>\(Self.escaped)</bdi> (3)</li>")
        #expect(HTML.data(name) == "<bdi>\(HTML(raw: Self.escaped))</bdi>")
    }

    @Test("a fragment is inserted as it is: neither trusted markup nor escaped text is escaped twice")
    func insertsFragmentsOnce() {
        let cell: HTML = "<td>\(Self.hostile)</td>"
        let row: HTML = "<tr>\(cell)\(HTML(raw: "<td>&nbsp;</td>"))</tr>"
        #expect(row.markup == "<tr><td>\(Self.escaped)</td><td>&nbsp;</td></tr>")
        #expect((cell + "<td>&amp;</td>").markup == "<td>\(Self.escaped)</td><td>&amp;</td>")
        #expect(
            [cell, cell].joined(separator: "<br>").markup == "<td>\(Self.escaped)</td><br><td>\(Self.escaped)</td>")
    }

    @Test("numbers go in as their digits; literal markup as written")
    func numbersAndLiterals() {
        let html: HTML = "<span style=\"left:\(25)%\">\(-3)</span>"
        #expect(html.markup == "<span style=\"left:25%\">-3</span>")
        #expect(HTML.escape(Self.hostile) == Self.escaped)
    }

    @Test("a quote or bracket with a combining mark after it is escaped too: a browser ends an attribute there")
    func escapesBeforeCombiningMarks() {
        #expect(
            HTML.escape("x\"\u{301} onmouseover=alert(1) <\u{338}b>")
                == "x&quot;\u{301} onmouseover=alert(1) &lt;\u{338}b&gt;")
        #expect(HTML.escape("Nguyễn Văn An") == "Nguyễn Văn An")
    }
}

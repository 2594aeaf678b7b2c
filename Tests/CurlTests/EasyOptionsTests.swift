import CCurl
import Testing

@testable import Curl

@Suite("libcurl options, every answer checked")
struct EasyOptionsTests {
    @Test("a refused option is named as libcurl names it, and only the first is kept")
    func refusalNamed() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        var options = EasyOptions(handle)
        options.set(CURLOPT_NOSIGNAL, 1)
        #expect(options.refusal == nil)
        // Values out of libcurl's range: the first is the one reported.
        options.set(CURLOPT_USE_SSL, 7)
        options.set(CURLOPT_MAXREDIRS, -5)
        let refusal = try #require(options.refusal)
        #expect(refusal.hasPrefix("CURLOPT_USE_SSL: "), "\(refusal)")
        #expect(EasyOptions.name(CURLOPT_SSL_VERIFYHOST) == "CURLOPT_SSL_VERIFYHOST")
    }
}

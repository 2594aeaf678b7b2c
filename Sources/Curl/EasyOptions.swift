import CCurl

/// Options set on a libcurl easy handle, every answer checked.
///
/// `curl_easy_setopt` refuses an option this libcurl was built without, or a value out of
/// range; a transfer must not then run with the option silently missing (TLS verification, a
/// timeout, a protocol limit). The first refusal is kept, named as libcurl names the option,
/// and the caller stops before `curl_easy_perform`.
struct EasyOptions {
    let handle: UnsafeMutableRawPointer
    /// `CURLOPT_CONNECTTIMEOUT_MS: A libcurl function was given a bad argument`: the first refusal.
    private(set) var refusal: String?

    init(_ handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        check(ccurl_setopt_long(handle, option, value), option)
    }

    mutating func set(_ option: CURLoption, _ value: String) {
        check(ccurl_setopt_string(handle, option, value), option)
    }

    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        check(ccurl_setopt_pointer(handle, option, value), option)
    }

    mutating func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) {
        check(ccurl_setopt_slist(handle, option, value), option)
    }

    mutating func set(_ option: CURLoption, size value: curl_off_t) {
        check(ccurl_setopt_offset(handle, option, value), option)
    }

    mutating func set(_ option: CURLoption, callback: ccurl_data_callback) {
        check(ccurl_setopt_data_callback(handle, option, callback), option)
    }

    mutating func setDebugCallback(_ callback: ccurl_debug_callback) {
        check(ccurl_setopt_debug_callback(handle, callback), CURLOPT_DEBUGFUNCTION)
    }

    private mutating func check(_ code: CURLcode, _ option: CURLoption) {
        guard code != CURLE_OK, refusal == nil else { return }
        refusal = "\(Self.name(option)): \(String(cString: curl_easy_strerror(code)))"
    }

    /// `CURLOPT_SSL_VERIFYHOST`: the option's name, from libcurl's own table.
    static func name(_ option: CURLoption) -> String {
        guard let entry = curl_easy_option_by_id(option), let name = entry.pointee.name else {
            return "libcurl option \(option.rawValue)"
        }
        return "CURLOPT_" + String(cString: name)
    }
}

/*
 * Injected redirect and frame snippets seen on defaced Chinese sites:
 * search-engine referrer tests that send search visitors to gambling or
 * "private server" sites (SEO hijacking), and zero-size frames written by
 * script.  The analyzer's own code judges targets; these rules catch the
 * well-known templates even when the target is computed.
 */

rule inject_search_hijack_template
{
    meta:
        confidence = 90
        description = "the classic referrer test listing many search engines"
    strings:
        $ref = "referrer" nocase
        $e1 = "sogou" nocase
        $e2 = "soso" nocase
        $e3 = "baidu" nocase
        $e4 = "youdao" nocase
        $e5 = "118114"
        $e6 = "gougou" nocase
        $e7 = "sooule" nocase
        $e8 = "so.com" nocase
        $e9 = "sm.cn" nocase
        $e10 = "bing" nocase
        $nav = /(window|top|self|document)\.location(\.href)?\s*=|location\.(replace|assign)\s*\(|window\.open\s*\(|document\.write/
    condition:
        $ref and $nav and 4 of ($e*)
}

rule inject_hidden_frame_write
{
    meta:
        confidence = 90
        description = "script writes a zero-size or hidden iframe"
    strings:
        $a = /(document\.write(ln)?\s*\(|innerHTML\s*\+?=)\s*['"]<iframe[^>]{0,300}(width\s*=\s*['"]?[01](px)?['" >]|height\s*=\s*['"]?[01](px)?['" >]|display\s*:\s*none|visibility\s*:\s*hidden)/ nocase
    condition:
        $a
}

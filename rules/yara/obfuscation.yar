/*
 * Obfuscation and encoding that honest pages do not carry inline: the
 * output of JS obfuscators and encoders, and markup or API names hidden
 * in hex or base64.  Minified libraries (jQuery, Vue, Bootstrap) and the
 * identification badge's document.write(unescape("%3Cspan ...")) must not
 * match: only full encodings of tag names and API names count.
 */

rule obf_javascript_obfuscator
{
    meta:
        confidence = 85
        description = "javascript-obfuscator style _0x names and string array"
    strings:
        $name = /_0x[0-9a-f]{4,6}/
        $arr = /var\s+_0x[0-9a-f]{4,6}\s*=\s*\[\s*['"]/
    condition:
        #name > 25 or ($arr and #name > 8)
}

rule obf_jsfuck
{
    meta:
        confidence = 90
        description = "JSFuck: code written with []()!+ only"
    strings:
        $a = "(![]+[])[+[]]"
        $b = "(!![]+[])[+[]]"
        $c = "[][(![]+[])"
        $d = "(+!+[]+[+[]])"
    condition:
        2 of them
}

rule obf_aaencode
{
    meta:
        confidence = 90
        description = "aaencode: code written in Japanese emoticons"
    strings:
        $a = "ﾟωﾟﾉ"
        $b = "(ﾟДﾟ)"
        $c = "ﾟΘﾟ"
    condition:
        2 of them
}

rule obf_jjencode
{
    meta:
        confidence = 90
        description = "jjencode: code written with $ and _ symbols"
    strings:
        $a = /[$_A-Za-z]{1,8}=~\[\];\s*[$_A-Za-z]{1,8}=\{___:\+\+/
        $b = "$$$$:(![]+\"\")"
    condition:
        any of them
}

rule obf_hex_tag
{
    meta:
        confidence = 85
        description = "a script or iframe tag written in \\x hex escapes"
    strings:
        $s1 = "\\x3c\\x73\\x63\\x72\\x69\\x70\\x74" nocase
        $s2 = "\\x3c\\x69\\x66\\x72\\x61\\x6d\\x65" nocase
        $s3 = "\\u003c\\u0073\\u0063\\u0072\\u0069\\u0070\\u0074" nocase
        $s4 = "\\u003c\\u0069\\u0066\\u0072\\u0061\\u006d\\u0065" nocase
        $s5 = "%3C%73%63%72%69%70%74" nocase
        $s6 = "%3C%69%66%72%61%6D%65" nocase
        $s7 = "\\x64\\x6f\\x63\\x75\\x6d\\x65\\x6e\\x74" nocase
        $s8 = "\\x6c\\x6f\\x63\\x61\\x74\\x69\\x6f\\x6e" nocase
    condition:
        any of them
}

rule obf_base64_api
{
    meta:
        confidence = 80
        description = "base64 of document.write, location, <script or <iframe next to a decoder"
    strings:
        $b1 = "ZG9jdW1lbnQud3JpdGU"
        $b2 = "ZG9jdW1lbnQubG9jYXRpb24"
        $b3 = "d2luZG93LmxvY2F0aW9u"
        $b4 = "PHNjcmlwdC"
        $b5 = "PGlmcmFtZS"
        $b6 = "bG9jYXRpb24uaHJlZ"
        $dec = /\batob\s*\(|base64_?decode|Base64\.decode/ nocase
    condition:
        $dec and any of ($b*)
}

rule obf_eval_by_pieces
{
    meta:
        confidence = 85
        description = "eval or Function reached by joining its name from pieces"
    strings:
        $a = /\[\s*['"]e['"]\s*\+\s*['"]v['"]\s*\+\s*['"]a['"]\s*\+\s*['"]l['"]\s*\]/
        $b = /\[\s*['"]ev['"]\s*\+\s*['"]al['"]\s*\]/
        $c = /\[\s*['"]e['"]\s*\+\s*['"]val['"]\s*\]/
        $d = /\[\s*['"]eva['"]\s*\+\s*['"]l['"]\s*\]/
    condition:
        any of them
}

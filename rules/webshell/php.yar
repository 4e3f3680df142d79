/*
 * PHP webshells in upload directories (sitewarden-agent).  An upload area
 * should hold pictures and documents; any PHP there is suspect, but these
 * rules only fire on code that runs what a request sends, on the encoded
 * payload tricks shells use to hide that, and on the markers of the
 * well-known shells, so a tutorial that merely mentions eval() stays quiet.
 * Each rule needs a PHP open tag, which also catches PHP appended to a
 * picture ("GIF89a<?php ...").
 */

rule php_exec_request
{
    meta:
        description = "PHP code execution fed directly by request data (one-line shells, China Chopper)"
    strings:
        $tag = "<?" ascii
        $a = /(eval|assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)\s*\(\s*(@\s*)?(stripslashes\s*\(\s*|trim\s*\(\s*|base64_decode\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\b/ nocase
        $b = /\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*\(\s*\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $c = /(array_map|call_user_func|call_user_func_array|usort|array_filter|register_shutdown_function)\s*\(\s*['"]?(assert|eval|system)['"]?\s*,\s*\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $d = /preg_replace\s*\(\s*['"].{1,40}\/[a-z]*e[a-z]*['"]\s*,\s*[^,]{0,80}\$_(GET|POST|REQUEST|COOKIE)/ nocase
    condition:
        $tag and any of ($a, $b, $c, $d)
}

rule php_eval_encoded_payload
{
    meta:
        description = "eval/assert of a decoded or inflated blob: the usual way shells hide"
    strings:
        $tag = "<?" ascii
        $a = /(eval|assert)\s*\(\s*(@\s*)?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|convert_uudecode)\s*\(/ nocase
        $b = /(eval|assert)\s*\(\s*(@\s*)?(gzinflate|gzuncompress|str_rot13)\s*\(\s*(base64_decode|str_rot13|gzinflate)\s*\(/ nocase
    condition:
        $tag and any of ($a, $b)
}

rule php_variable_function_from_request
{
    meta:
        description = "A function whose name comes from the request is called ($f=$_GET['f'];$f(...))"
    strings:
        $tag = "<?" ascii
        $set = /\$[a-z_][a-z0-9_]{0,20}\s*=\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*;/ nocase
        $call = /\$[a-z_][a-z0-9_]{0,20}\s*\(\s*\$_(GET|POST|REQUEST|COOKIE)/ nocase
    condition:
        $tag and $set and $call
}

rule php_known_shell_markers
{
    meta:
        description = "Markers of well-known PHP webshells and their encrypted clients (c99, r57, WSO, b374k, Behinder, Godzilla)"
    strings:
        $tag = "<?" ascii
        $m1 = "c99shell" nocase
        $m2 = "r57shell" nocase
        $m3 = "FilesMan" ascii
        $m4 = "b374k" nocase
        $m5 = "e45e329feb5d925b" ascii  /* Behinder's default key (md5 of "rebeyond") */
        $m6 = /\$payloadName\s*=\s*['"]payload['"]/  /* Godzilla */
        $m7 = "WSOsetcookie" ascii
        $m8 = /@?error_reporting\(0\);\s*session_start\(\);\s*\$key\s*=\s*['"][0-9a-f]{16}['"]/
    condition:
        $tag and any of ($m*)
}

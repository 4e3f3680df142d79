/*
 * JSP webshells in upload directories (sitewarden-agent): commands run from
 * request parameters, and the class-loading core of the encrypted shells
 * (Behinder/冰蝎, Godzilla/哥斯拉) that define a class from request bytes.
 */

rule jsp_exec_request
{
    meta:
        description = "JSP running a command taken from the request"
    strings:
        $tag1 = "<%" ascii
        $tag2 = "<jsp:" ascii
        $exec1 = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/
        $exec2 = /new\s+ProcessBuilder\s*\(/
        $req = /request\s*\.\s*getParameter\s*\(/
    condition:
        ($tag1 or $tag2) and ($exec1 or $exec2) and $req
}

rule jsp_define_class_from_request
{
    meta:
        description = "JSP that defines and runs a class sent in the request (Behinder, Godzilla)"
    strings:
        $tag = "<%" ascii
        $d1 = "defineClass" ascii
        $d2 = "ClassLoader" ascii
        $r1 = "request.getReader" ascii
        $r2 = "request.getInputStream" ascii
        $r3 = "request.getParameter" ascii
        $c1 = "Cipher.getInstance" ascii
        $c2 = "BASE64Decoder" ascii
        $c3 = "Base64.getDecoder" ascii
        $k = "e45e329feb5d925b" ascii
    condition:
        $tag and $d1 and $d2 and any of ($r*) and (any of ($c*) or $k)
}

rule jsp_known_shell_markers
{
    meta:
        description = "Markers of well-known JSP webshells"
    strings:
        $tag = "<%" ascii
        $m1 = "JspSpy" nocase
        $m2 = "jspspy" ascii
        $m3 = "Cmd Shell" nocase
        $m4 = /getRuntime\(\)\.exec\(\s*request\.getParameter\(\s*"(cmd|c|command|exec)"\s*\)\s*\)/
    condition:
        $tag and any of ($m*)
}
